// The review page's behaviour (inlined into every page by belnews.review.html).
// Annotation data comes from the JSON block; the panel is filled with textContent only,
// so no annotation value is ever parsed as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('ann-data').textContent);
  var marks = Array.prototype.slice.call(document.querySelectorAll('#text .mk'));

  function cell(row, text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) { td.className = cls; }
    row.appendChild(td);
  }

  function layerOf(el) {
    if (el.classList.contains('rej')) { return 'rejected'; }
    if (el.classList.contains('q')) { return 'quotes'; }
    if (el.classList.contains('fig')) { return 'figures'; }
    return 'entities';
  }

  // Annotations to highlight with `key`: its links (speaker, asserter, cluster) and every
  // mention of a linked cluster.
  function related(key) {
    var out = {};
    var a = data[key];
    var clusters = {};
    if (!a) { return out; }
    if (a.layer === 'clusters') { clusters[key] = true; }
    (a.links || []).forEach(function (k) { out[k] = true; clusters[k] = true; });
    marks.forEach(function (m) {
      if (clusters[m.dataset.cluster]) { out[m.dataset.ann] = true; }
    });
    return out;
  }

  function show(key, stack) {
    var a = data[key];
    if (!a) { return; }
    var rel = related(key);
    marks.forEach(function (m) {
      m.classList.remove('sel', 'linked');
      if (m.dataset.ann === key) { m.classList.add('sel'); }
      else if (rel[m.dataset.ann]) { m.classList.add('linked'); }
    });
    var title = a.title + (a.rejected ? ' (rejected suggestion)' : '');
    document.getElementById('panel-title').textContent = title;

    var table = document.getElementById('panel-fields');
    table.textContent = '';
    var head = document.createElement('tr');
    head.dataset.field = 'status';
    cell(head, 'status');
    cell(head, a.status);
    table.appendChild(head);
    a.fields.forEach(function (f) {
      var tr = document.createElement('tr');
      tr.dataset.field = f[0];
      cell(tr, f[0]);
      cell(tr, f[1]);
      table.appendChild(tr);
    });

    var changed = document.getElementById('panel-changed');
    changed.textContent = '';
    if (a.changed) {
      var h = document.createElement('h2');
      h.textContent = 'Changed from the suggestion';
      changed.appendChild(h);
      var t = document.createElement('table');
      a.changed.forEach(function (f) {
        var tr = document.createElement('tr');
        cell(tr, f[0]);
        cell(tr, f[1], 'old');
        cell(tr, f[2], 'new');
        t.appendChild(tr);
      });
      changed.appendChild(t);
    }

    var others = document.getElementById('panel-stack');
    others.textContent = '';
    (stack || []).forEach(function (k) {
      if (k === key || !data[k]) { return; }
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = 'also here: ' + data[k].title;
      b.addEventListener('click', function () { show(k, stack); });
      others.appendChild(b);
      others.appendChild(document.createElement('br'));
    });
  }

  // A click selects the innermost visible mark; the marks around it are offered as buttons.
  document.getElementById('text').addEventListener('click', function (ev) {
    var stack = [];
    for (var el = ev.target.closest('.mk'); el && el.id !== 'text'; el = el.parentElement) {
      var hidden = document.body.classList.contains('hide-' + layerOf(el));
      if (el.classList.contains('mk') && !hidden && stack.indexOf(el.dataset.ann) < 0) {
        stack.push(el.dataset.ann);
      }
    }
    if (stack.length) { show(stack[0], stack); }
  });

  document.querySelectorAll('[data-go]').forEach(function (button) {
    button.addEventListener('click', function () {
      var key = button.dataset.go;
      show(key, [key]);
      var first = marks.filter(function (m) {
        return m.dataset.ann === key || m.dataset.cluster === key;
      })[0];
      if (first) { first.scrollIntoView({ block: 'center' }); }
    });
  });

  document.querySelectorAll('#toggles input').forEach(function (box) {
    box.addEventListener('change', function () {
      document.body.classList.toggle('hide-' + box.dataset.layer, !box.checked);
    });
  });
})();
