"""Names the rule recogniser knows without a model: places, nationalities, organisations.

Each entry is ``surface -> (label, canonical name)``; surfaces that share a canonical name are
aliases and land in one cluster ("US", "U.S." and "United States"). The lists are deliberately
plain data so a contributor can extend them in a one-line change.
"""

from __future__ import annotations

_COUNTRIES = """
Afghanistan Albania Algeria Argentina Armenia Australia Austria Azerbaijan Bahrain Bangladesh
Belarus Belgium Bolivia Bosnia Brazil Bulgaria Cambodia Cameroon Canada Chile China Colombia
Croatia Cuba Cyprus Denmark Ecuador Egypt Estonia Ethiopia Finland France Georgia Germany Ghana
Greece Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan
Kenya Kosovo Kuwait Kyrgyzstan Latvia Lebanon Libya Lithuania Luxembourg Malaysia Mali Malta
Mexico Moldova Mongolia Montenegro Morocco Myanmar Nepal Netherlands Nigeria Norway Oman
Pakistan Palestine Panama Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Serbia
Singapore Slovakia Slovenia Somalia Spain Sudan Sweden Switzerland Syria Taiwan Tajikistan
Tanzania Thailand Tunisia Turkey Turkmenistan Uganda Ukraine Uruguay Uzbekistan Venezuela
Vietnam Yemen Zambia Zimbabwe
"""
_MULTIWORD_COUNTRIES = (
    "South Africa",
    "South Korea",
    "North Korea",
    "New Zealand",
    "Saudi Arabia",
    "Sri Lanka",
    "Czech Republic",
    "North Macedonia",
    "United Arab Emirates",
    "Ivory Coast",
)
_CITIES = """
Minsk Moscow Kyiv Kiev Vilnius Warsaw Riga Tallinn Berlin Paris London Brussels Geneva Vienna
Rome Madrid Lisbon Amsterdam Stockholm Oslo Helsinki Copenhagen Prague Budapest Bucharest Sofia
Athens Ankara Istanbul Tbilisi Yerevan Baku Beijing Tokyo Seoul Delhi Mumbai Islamabad Kabul
Tehran Baghdad Damascus Beirut Jerusalem Cairo Nairobi Lagos Washington Ottawa Toronto Sydney
Canberra Brest Gomel Grodno Vitebsk Mogilev Strasbourg Hague
"""
_MULTIWORD_CITIES = ("New York", "New Delhi", "Hong Kong", "Los Angeles", "St Petersburg")
_REGIONS = "Europe Asia Africa Siberia Crimea Donbas Caucasus Scandinavia Balkans Arctic"
_NORP = """
Belarusian Belarusians Russian Russians Ukrainian Ukrainians Lithuanian Polish American
Americans British German French Italian Spanish Chinese Japanese Indian Pakistani Iranian
Iraqi Syrian Israeli Palestinian Turkish Georgian Armenian Azerbaijani Kazakh European
Europeans Western Soviet Latvian Estonian Moldovan Hungarian Czech Swedish Norwegian Danish
Finnish Dutch Belgian Swiss Austrian Greek Serbian Croatian Canadian Australian Mexican
Brazilian Egyptian Saudi African Asian Muslim Muslims Christian Christians Jewish Catholic
Orthodox Democrats Republicans Democratic Republican
"""
_ORGS = {
    # surface: canonical
    "European Union": "European Union",
    "EU": "European Union",
    "United Nations": "United Nations",
    "UN": "United Nations",
    "U.N.": "United Nations",
    "NATO": "NATO",
    "OSCE": "OSCE",
    "Kremlin": "Kremlin",
    "Amnesty International": "Amnesty International",
    "Human Rights Watch": "Human Rights Watch",
    "Red Cross": "Red Cross",
    "World Health Organization": "World Health Organization",
    "WHO": "World Health Organization",
    "International Monetary Fund": "International Monetary Fund",
    "IMF": "International Monetary Fund",
    "World Bank": "World Bank",
    "BBC": "BBC",
    "BBC Monitoring": "BBC Monitoring",
    "BBC News": "BBC",
    "CNN": "CNN",
    "Reuters": "Reuters",
    "Associated Press": "Associated Press",
    "AP": "Associated Press",
    "Agence France-Presse": "Agence France-Presse",
    "AFP": "Agence France-Presse",
    "ANI": "ANI",
    "PTI": "PTI",
    "Deutsche Welle": "Deutsche Welle",
    "DW": "Deutsche Welle",
    "Al Jazeera": "Al Jazeera",
    "Bloomberg": "Bloomberg",
    "New York Times": "New York Times",
    "Washington Post": "Washington Post",
    "Guardian": "Guardian",
    "Business Insider": "Business Insider",
    "TASS": "TASS",
    "Interfax": "Interfax",
    "RIA Novosti": "RIA Novosti",
    "Belta": "Belta",
    "Telegram": "Telegram",
    "Twitter": "Twitter",
    "Facebook": "Facebook",
    "YouTube": "YouTube",
    "Google": "Google",
}
_GPE_ALIASES = {
    "United States": "United States",
    "US": "United States",
    "U.S.": "United States",
    "USA": "United States",
    "America": "United States",
    "United Kingdom": "United Kingdom",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
}


def _build() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for name in _COUNTRIES.split() + list(_MULTIWORD_COUNTRIES):
        table[name] = ("GPE", name)
    for name in _CITIES.split() + list(_MULTIWORD_CITIES):
        table[name] = ("GPE", name)
    table["Kiev"] = ("GPE", "Kyiv")
    for name in _REGIONS.split():
        table[name] = ("LOC", name)
    table["Middle East"] = ("LOC", "Middle East")
    for name in _NORP.split():
        canonical = name[:-1] if name.endswith("ans") else name
        table[name] = ("NORP", canonical)
    for surface, canonical in _ORGS.items():
        table[surface] = ("ORG", canonical)
    for surface, canonical in _GPE_ALIASES.items():
        table[surface] = ("GPE", canonical)
    return table


#: surface -> (OntoNotes label, canonical name)
GAZETTEER: dict[str, tuple[str, str]] = _build()

#: Last words that make a capitalized phrase an organisation, event, facility or place.
ORG_HEADS = frozenset(
    [
        "Council",
        "Commission",
        "Committee",
        "Ministry",
        "Ministries",
        "Agency",
        "Party",
        "Union",
        "Organisation",
        "Organization",
        "Association",
        "Federation",
        "International",
        "Institute",
        "University",
        "Court",
        "Parliament",
        "Assembly",
        "Bank",
        "Company",
        "Corporation",
        "Group",
        "Network",
        "Service",
        "Services",
        "Office",
        "Department",
        "Police",
        "Army",
        "Forces",
        "Front",
        "Movement",
        "Foundation",
        "Fund",
        "Centre",
        "Center",
        "Monitoring",
        "Times",
        "Post",
        "News",
        "Press",
        "Television",
        "TV",
        "Radio",
        "Channel",
        "Guard",
        "Guards",
        "Senate",
        "Congress",
        "Government",
        "Inc",
        "Ltd",
    ]
)
EVENT_HEADS = frozenset(
    [
        "Review",
        "Summit",
        "Conference",
        "Congress",
        "Olympics",
        "Games",
        "Forum",
        "War",
        "Revolution",
        "Election",
        "Elections",
        "Championship",
        "Cup",
        "Festival",
        "Session",
    ]
)
FAC_HEADS = frozenset(
    [
        "Prison",
        "Airport",
        "Square",
        "Bridge",
        "Hospital",
        "Stadium",
        "Palace",
        "Station",
        "Street",
        "Avenue",
        "Tower",
        "Hall",
        "Cathedral",
        "Church",
        "Embassy",
        "Building",
        "Museum",
    ]
)
LOC_HEADS = frozenset(
    ["River", "Sea", "Lake", "Mountains", "Mountain", "Ocean", "Valley", "Island", "Islands"]
)
#: Lower-case nouns that, right after a capitalized word, name a facility with it.
FAC_NOUNS = frozenset(
    ["prison", "jail", "airport", "square", "hospital", "stadium", "station", "embassy"]
)
#: Lower-case nouns that, right after an unknown capitalized word, say it names an organisation.
ORG_NOUNS = frozenset(
    [
        "centre",
        "center",
        "group",
        "party",
        "movement",
        "organisation",
        "organization",
        "agency",
        "channel",
        "network",
        "newspaper",
        "company",
        "ministry",
        "committee",
        "council",
        "union",
    ]
)
#: Titles before a person's name (dropped from the name).
TITLES = frozenset(
    [
        "President",
        "Prime",
        "Minister",
        "Mr",
        "Mr.",
        "Mrs",
        "Mrs.",
        "Ms",
        "Ms.",
        "Dr",
        "Dr.",
        "Sir",
        "General",
        "Gen.",
        "Colonel",
        "Col.",
        "Chancellor",
        "Secretary",
        "Senator",
        "Sen.",
        "Rep.",
        "Governor",
        "Mayor",
        "Judge",
        "King",
        "Queen",
        "Prince",
        "Pope",
        "Incumbent",
        "Opposition",
    ]
)
#: Lower-case words before a single capitalized word that make it a person's name.
PERSON_CUES = frozenset(
    [
        "president",
        "minister",
        "leader",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "chief",
        "head",
        "candidate",
        "activist",
        "opposition",
        "journalist",
        "official",
        "ambassador",
        "envoy",
        "director",
        "secretary",
    ]
)
#: Nouns that, after an outlet-ish word, take a following number into a channel name.
CHANNEL_NOUNS = frozenset(["network", "channel", "station", "broadcaster"])
#: Media words: an addressee holding one of these is also the quote's channel.
MEDIA_NOUNS = frozenset(["network", "newspaper", "channel", "broadcaster", "agency", "station"])
