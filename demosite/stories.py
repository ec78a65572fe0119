"""Story templates of the demo site: titles, paragraphs, quotes and captions per kind of news.

A story's title is built only from the municipality and its ``title_vars``; every combination
gives a different title, which is what keeps titles (and slugs) unique. Paragraphs may use the
title variables and the per-article context built in :mod:`demosite.content` (``muni``, ``p1``,
``party``, ``street``, ``amount``, ``date_future``, ...). A key ending in ``_cap`` is the same value
with its first letter in upper case.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from demosite.vocabulary import CLUBS, HERITAGE, SCHOOLS, STREETS


@dataclass(frozen=True)
class Story:
    """One kind of regional news item, with the text pools an article is drawn from."""

    key: str
    topic: str
    tags: tuple[str, ...]
    titles: tuple[str, ...]
    title_vars: tuple[tuple[str, tuple[str, ...]], ...]
    intros: tuple[str, ...]
    bodies: tuple[str, ...]
    quotes: tuple[str, ...]
    closings: tuple[str, ...]
    captions: tuple[str, ...]

    @property
    def capacity(self) -> int:
        """Number of distinct titles this story can produce for one municipality."""
        return len(self.titles) * math.prod(len(options) for _, options in self.title_vars)


PROJECTS = (
    "de renovatie van het zwembad",
    "een nieuwe sporthal",
    "de heraanleg van het centrum",
    "een nieuw jeugdhuis",
    "de uitbreiding van de bibliotheek",
    "nieuwe fietspaden",
    "de vernieuwing van de openbare verlichting",
    "een nieuw administratief centrum",
    "de restauratie van de kerktoren",
    "extra plaatsen in de kinderopvang",
    "de aanleg van een speelbos",
    "de renovatie van de muziekacademie",
    "een nieuw lokaal dienstencentrum",
    "de vergroening van de speelplaatsen",
    "de uitbreiding van de begraafplaats",
    "een nieuw containerpark",
)
AMOUNTS = (
    "1,2 miljoen euro",
    "850 000 euro",
    "2,4 miljoen euro",
    "600 000 euro",
    "3,1 miljoen euro",
    "450 000 euro",
    "1,75 miljoen euro",
    "5 miljoen euro",
)
TAX_ACTIONS = ("verhoogt", "verlaagt", "bevriest", "herziet")
TAXES = (
    "de aanvullende personenbelasting",
    "de opcentiemen op de onroerende voorheffing",
    "de belasting op leegstand",
    "de belasting op tweede verblijven",
    "de afvalbelasting",
    "de belasting op terrassen",
    "de parkeertarieven",
    "de retributie voor evenementen",
    "de belasting op verwaarloosde gebouwen",
    "de tarieven van het zwembad",
    "de huurprijs van de gemeentelijke zalen",
    "de prijs van de huisvuilzak",
)
TAX_STARTS = ("vanaf januari", "vanaf 1 juli", "volgend jaar", "in het nieuwe meerjarenplan")
STREET_PARTS = (
    "het eerste deel van de",
    "de volledige",
    "het kruispunt met de",
    "de voetpaden in de",
    "de zijstraten van de",
)
FIRE_SITES = (
    "woning",
    "loods",
    "rijwoning",
    "garage",
    "tuinhuis",
    "appartement",
    "schuur",
    "keuken van een woning",
    "bedrijfshal",
    "zolder van een woning",
)
FIRE_OUTCOMES = ("", " niemand gewond", " buren geëvacueerd", " zware schade")
CRASH_KINDS = (
    "Fietser zwaargewond",
    "Bromfietser gewond",
    "Twee gewonden",
    "Voetganger aangereden",
    "Auto over de kop",
    "Vrachtwagen kantelt",
    "Motorrijder zwaargewond",
    "Kop-staartbotsing",
)
CHECK_KINDS = (
    "snelheidscontrole",
    "alcoholcontrole",
    "controle op gsm-gebruik achter het stuur",
    "fietscontrole aan de schoolpoort",
    "controle op zwaar vervoer",
    "drugscontrole",
)
CHECK_RESULTS = (
    "tientallen overtreders",
    "meer dan honderd pv's",
    "vijf rijbewijzen ingetrokken",
    "drie bestuurders onder invloed",
    "opvallend weinig overtredingen",
)
BURGLARY_TARGETS = (
    "woningen",
    "handelszaken",
    "tuinhuizen",
    "bedrijfsgebouwen",
    "verenigingslokalen",
    "auto's",
    "bouwwerven",
)
EXHIBITIONS = (
    "schilderijen",
    "foto's",
    "keramiek",
    "beelden",
    "tekeningen",
    "grafisch werk",
    "textielkunst",
    "oude postkaarten",
)
VENUES = (
    "in de bibliotheek",
    "in het cultureel centrum",
    "in de kapel",
    "in het gemeentehuis",
    "in de oude pastorie",
    "in galerie De Vonk",
)
FESTIVALS = (
    "Zomerfeesten",
    "Jazz op het Plein",
    "Muziek in het Park",
    "het Dorpsfestival",
    "de Kunstroute",
    "de Straatfeesten",
    "het Bierfestival",
    "de Nacht van de Geschiedenis",
    "de Kerstmarkt",
    "de Jaarmarkt",
)
FESTIVAL_NEWS = (
    "pakt uit met affiche",
    "breekt bezoekersrecord",
    "zoekt vrijwilligers",
    "verhuist naar nieuwe locatie",
    "viert jubileum",
    "gaat gratis door",
)
LIBRARY_NEWS = (
    "opent leeshoek voor peuters",
    "verlengt openingsuren",
    "start met repair café",
    "schaft boetes af",
    "leent voortaan gereedschap uit",
    "lanceert digitaal spreekuur",
    "krijgt nieuwe leeszaal",
    "organiseert voorleesuurtjes",
)
LIBRARY_EXTRAS = (
    "",
    "vanaf september",
    "vanaf januari",
    "in deelgemeente",
    "na succesvolle proef",
    "op vraag van lezers",
    "met hulp van vrijwilligers",
    "als eerste in de regio",
    "in de zomervakantie",
)
PLAY_KINDS = (
    "blijspel",
    "volkstoneel",
    "musical",
    "kindervoorstelling",
    "thriller",
    "openluchtspektakel",
)
CLUB_ACHIEVEMENTS = (
    "is kampioen",
    "promoveert",
    "wint de beker",
    "is provinciaal kampioen",
    "is Vlaams kampioen",
    "heeft de beste jeugdwerking van de provincie",
)
CLUB_CIRCUMSTANCES = (
    "na spannende ontknoping",
    "met één punt voorsprong",
    "na beslissingsmatch",
    "zonder nederlaag",
    "na twintig jaar wachten",
    "voor het eerst in de clubgeschiedenis",
)
SPORT_FACILITIES = (
    "kunstgrasveld",
    "sporthal",
    "petanquebaan",
    "skatepark",
    "finse piste",
    "padelterrein",
    "atletiekpiste",
    "beachvolleybalveld",
)
FACILITY_NEWS = ("krijgt", "opent", "vernieuwt", "bouwt")
RUNS = (
    "Dorpsloop",
    "Kerstcorrida",
    "Scholencross",
    "Avondjogging",
    "Natuurloop",
    "Stratenloop",
    "Familierun",
)
RUN_NEWS = (
    "lokt recordaantal lopers",
    "krijgt nieuw parcours",
    "verzamelt geld voor het goede doel",
    "viert tiende editie",
)
RACE_KINDS = (
    "Kermiskoers",
    "Jeugdwielerwedstrijd",
    "Veldrit",
    "Criterium",
    "Wielerwedstrijd voor nieuwelingen",
)
RACE_NEWS = (
    "trekt veel volk",
    "eindigt in massaspurt",
    "afgelast door regen",
    "krijgt nieuwe aankomst",
)
COMPANY_KINDS = (
    "Logistiek bedrijf",
    "Voedingsbedrijf",
    "Metaalbedrijf",
    "Verpakkingsbedrijf",
    "Farmabedrijf",
    "Drukkerij",
    "Bouwbedrijf",
    "Technologiebedrijf",
)
COMPANY_NEWS = (
    "breidt uit",
    "zoekt personeel",
    "investeert in zonnepanelen",
    "bouwt nieuwe hal",
    "viert vijftigjarig bestaan",
    "verhuist naar bedrijventerrein",
)
SHOP_KINDS = (
    "Nieuwe bakkerij",
    "Fietsenwinkel",
    "Kledingzaak",
    "Koffiebar",
    "Boekhandel",
    "Bloemenwinkel",
    "Zero-wastewinkel",
    "Ijssalon",
    "Slagerij",
    "Kaaswinkel",
)
SHOP_NEWS = ("opent", "verhuist", "sluit de deuren", "viert jubileum")
CAFES = (
    "’t Hoekske",
    "De Kroon",
    "Sint-Sebastiaan",
    "De Welkom",
    "Den Engel",
    "Het Gildenhuis",
    "De Zwaan",
    "De Gouden Leeuw",
    "’t Pleintje",
    "De Sportwereld",
    "De Molen",
    "Het Wit Paard",
)
CAFE_NEWS = (
    "krijgt nieuwe uitbaters",
    "gaat na renovatie weer open",
    "viert honderdste verjaardag",
    "wordt buurtcafé",
    "zoekt overnemer",
)
MARKETS = ("weekmarkt", "boerenmarkt", "avondmarkt", "rommelmarkt", "kerstmarkt", "ambachtenmarkt")
MARKET_NEWS = (
    "verhuist",
    "krijgt er kramen bij",
    "start opnieuw",
    "trekt meer bezoekers",
    "wordt autovrij",
)
HERITAGE_NEWS = (
    "wordt gerestaureerd",
    "krijgt beschermd statuut",
    "opent voor publiek",
    "krijgt nieuwe bestemming",
    "is dringend aan herstelling toe",
)
FINDS = (
    "middeleeuwse waterput",
    "Romeinse munten",
    "resten van een boerderij",
    "oude funderingen",
    "een kanonskogel",
    "scherven uit de bronstijd",
)
FIND_SITES = (
    "bij werken aan de",
    "onder de",
    "tijdens graafwerken in de",
    "naast de",
)
ASSOC_NEWS = (
    "viert jubileum",
    "zoekt nieuwe leden",
    "krijgt nieuw lokaal",
    "zet vrijwilligers in de bloemetjes",
    "organiseert eetfestijn",
    "trekt op daguitstap",
)
NEIGHBOURHOOD_EVENTS = (
    "Buurtfeest",
    "Straatbarbecue",
    "Speelstraat",
    "Kermis",
    "Garageverkoop",
    "Buurtcafé",
    "Halloweentocht",
    "Nieuwjaarsdrink",
)
EVENT_NEWS = ("brengt buren samen", "is groter dan ooit", "zoekt helpers", "keert terug")
YOUTH_NEWS = (
    "vieren feest in vernieuwd lokaal",
    "trekken op kamp",
    "houden spaghettiavond",
    "zamelen geld in",
    "planten bomen",
    "openen nieuw speelterrein",
)
TREES = ("bomen", "fruitbomen", "haagplanten", "knotwilgen", "hoogstammen", "linden")
NATURE_PLACES = (
    "langs de",
    "in het park aan de",
    "aan de vijver in de",
    "op het schoolterrein in de",
    "naast de speeltuin in de",
)
CLEANUP_NEWS = (
    "Vrijwilligers ruimen zwerfvuil op",
    "Nieuwe vuilbakken",
    "Sluikstorters betrapt",
    "Camera's tegen sluikstort",
    "Peters en meters van de straat",
)
CARE_HOMES = (
    "Woonzorgcentrum Sint-Jozef",
    "Woonzorgcentrum De Linde",
    "Woonzorgcentrum Hof ter Beke",
    "Lokaal dienstencentrum De Schakel",
    "Woonzorgcentrum Sint-Anna",
    "Dienstencentrum Ons Huis",
)
CARE_NEWS = (
    "opent nieuwe vleugel",
    "zoekt vrijwilligers",
    "viert honderdjarige bewoonster",
    "start met duofietsen",
    "krijgt belevingstuin",
    "breidt aanbod uit",
)
CARE_EXTRAS = (
    "",
    "na lange voorbereiding",
    "met steun van vrijwilligers",
    "als eerste in de regio",
    "dankzij gift van serviceclub",
)
HOUSING_KINDS = (
    "sociale woningen",
    "assistentiewoningen",
    "starterswoningen",
    "huurappartementen",
    "kangoeroewoningen",
    "betaalbare koopwoningen",
)
CHILDCARE_NEWS = (
    "Nieuwe kinderopvang",
    "Naschoolse opvang",
    "Speelpleinwerking",
    "Buitenschoolse opvang",
    "Tienerwerking",
)
SCHOOL_NEWS = (
    "krijgt nieuwbouw",
    "viert feest",
    "wint prijs",
    "start met schoolstraat",
    "vergroent speelplaats",
    "trekt naar Brussel",
    "stelt zonnepanelen voor",
)
PUPIL_ACTIONS = (
    "lopen voor het goede doel",
    "planten een schoolbos",
    "maken een eigen krant",
    "bezoeken het woonzorgcentrum",
    "winnen wedstrijd met klimaatproject",
    "zamelen speelgoed in",
    "ruimen zwerfvuil op",
)
PUPIL_COUNTS = ("Twintig", "Dertig", "Vijftig", "Honderd", "Tweehonderd")
SCHOOL_KINDS = ("Basisschool", "Vrije basisschool", "Gemeentelijke basisschool", "Kleuterschool")
SCHOOL_NAMES_SHORT = (
    "De Regenboog",
    "De Klimop",
    "Sint-Jozef",
    "Sint-Lutgardis",
    "Sint-Ursula",
    "De Kiem",
    "Het Vlindertje",
    "De Wegwijzer",
    "Sint-Victor",
    "De Zonnebloem",
)
BIKE_PROJECTS = (
    "nieuw fietspad",
    "fietsstraat",
    "veilige fietsoversteek",
    "fietsbrug",
    "fietsenstalling",
    "fietssnelweg",
)
BUS_LINES = tuple(
    str(n) for n in (1, 4, 9, 12, 17, 22, 30, 32, 40, 51, 70, 82, 99, 181, 410, 500, 560, 650)
)
BUS_NEWS = ("rijdt om", "krijgt nieuwe haltes", "rijdt vaker", "verdwijnt uit het centrum")
PARKING_NEWS = (
    "voert blauwe zone in",
    "breidt betalend parkeren uit",
    "maakt parking gratis",
    "legt nieuwe parking aan",
    "schrapt parkeerplaatsen voor terrassen",
)
PARKING_PLACES = (
    "in het centrum",
    "rond het station",
    "aan de markt",
    "bij het zwembad",
    "aan het kerkhof",
    "rond de scholen",
)
COUNCIL_ROLES = (
    "schepen",
    "gemeenteraadsvoorzitter",
    "fractieleider",
    "voorzitter van het BCSD",
    "schepen van Jeugd",
    "schepen van Cultuur",
)
OPPOSITION_TOPICS = (
    "het nieuwe parkeerplan",
    "de verkoop van de pastorie",
    "de hogere afvalfactuur",
    "de sluiting van het zwembad",
    "de kap van bomen",
    "de nieuwe verkaveling",
    "het verdwijnen van de bankautomaat",
    "de busverbinding",
    "de kosten van het feestcomité",
    "de nieuwe woontoren",
)
PARTIES_T = ("N-VA", "Vooruit", "CD&V", "Open Vld", "Groen", "Vlaams Belang", "PVDA")
EDITIONS = (
    "dit jaar",
    "opnieuw",
    "voor het eerst",
    "na jaren pauze",
    "met nieuwe organisatoren",
    "in het centrum",
)
RUN_EDITIONS = (
    "ondanks de regen",
    "onder een stralende zon",
    "op zondag",
    "op zaterdagavond",
    "in een nieuw jasje",
)
MONTHS_T = ("januari", "maart", "april", "mei", "juni", "september", "oktober", "november")
FLOOD_NEWS = (
    "Wateroverlast",
    "Gebroken waterleiding",
    "Stroompanne",
    "Gaslek",
    "Stormschade",
)
DRUG_FINDS = (
    "cannabisplantage",
    "drugslabo",
    "voorraad xtc-pillen",
    "partij cocaïne",
    "sigarettenfabriek",
)


def _story(**kwargs: object) -> Story:
    return Story(**kwargs)  # type: ignore[arg-type]


COMMON_CLOSINGS = (
    "Meer informatie is te vinden op de website van de gemeente of bij de dienst burgerzaken.",
    "Wie vragen heeft, kan terecht bij het onthaal van het gemeentehuis, elke werkdag tussen 9 en "
    "12 uur.",
    "Het volledige verslag van de zitting kan worden nagelezen op de website van {muni}.",
)

STORIES: tuple[Story, ...] = (
    _story(
        key="investering",
        topic="Politiek",
        tags=("gemeenteraad", "investeringen", "meerjarenplan"),
        titles=(
            "Gemeenteraad {muni} trekt {amount_t} uit voor {project}",
            "{amount_t_cap} voor {project} in {muni}",
        ),
        title_vars=(("amount_t", AMOUNTS), ("project", PROJECTS)),
        intros=(
            "De gemeenteraad van {muni} heeft {day_past} groen licht gegeven voor {project}. "
            "Het bestuur trekt daarvoor {amount_t} uit in het meerjarenplan.",
            "In {muni} komt er werk van {project}. Op de jongste gemeenteraad keurde de "
            "meerderheid een investering van {amount_t} goed; de oppositie onthield zich.",
        ),
        bodies=(
            "Het dossier lag al enkele jaren op tafel. Een studiebureau maakte een eerste ontwerp, "
            "dat na een infovergadering met buurtbewoners op verschillende punten werd "
            "bijgestuurd. "
            "Zo komt er meer groen en wordt er rekening gehouden met de bereikbaarheid voor de "
            "hulpdiensten.",
            "De werken worden in {n_word} fasen uitgevoerd. Als alles volgens plan verloopt, kan "
            "de "
            "aannemer in het voorjaar van {next_year} starten. Een deel van de kosten wordt "
            "gedragen "
            "door een subsidie van de Vlaamse overheid.",
            "Volgens de financiële dienst past de uitgave binnen de afgesproken budgetten. De "
            "gemeente "
            "leent een deel van het bedrag tegen een vaste rente over twintig jaar.",
            "Tijdens de bespreking vroeg de oppositie om een duidelijke planning en een "
            "tussentijdse "
            "evaluatie. {p2} ({party2}) wees erop dat de kosten van vergelijkbare projecten in de "
            "buurgemeenten fors zijn opgelopen.",
        ),
        quotes=(
            "Schepen van {portfolio} {p1} ({party}) is tevreden met de beslissing. ‘Dit is een "
            "investering voor de volgende generaties. We hebben lang gezocht naar een betaalbare "
            "oplossing en ik ben blij dat we nu kunnen doorzetten.’",
            "‘We luisteren naar de inwoners en nemen hun opmerkingen mee in het definitieve "
            "ontwerp,’ "
            "zegt burgemeester {p1} ({party}). ‘Niemand wil een project dat van bovenaf wordt "
            "opgelegd.’",
            "Oppositieraadslid {p2} ({party2}) is kritisch: ‘Het doel is goed, maar de rekening is "
            "hoog. We vragen dat het college elk halfjaar rapporteert over de stand van zaken.’",
        ),
        closings=(
            "Het volledige ontwerp ligt de komende weken ter inzage in het gemeentehuis en is te "
            "bekijken op de website van de gemeente.",
            "Een infomoment voor buurtbewoners volgt op {date_future} om {hour} in de raadzaal.",
        ),
        captions=(
            "Het schepencollege van {muni} bij de voorstelling van de plannen.",
            "Een simulatiebeeld van het project.",
        ),
    ),
    _story(
        key="belasting",
        topic="Politiek",
        tags=("gemeenteraad", "belastingen", "financiën"),
        titles=(
            "{muni} {tax_action} {tax} {tax_start}",
            "Gemeenteraad {muni}: bestuur {tax_action} {tax} {tax_start}",
        ),
        title_vars=(("tax_action", TAX_ACTIONS), ("tax", TAXES), ("tax_start", TAX_STARTS)),
        intros=(
            "Het gemeentebestuur van {muni} {tax_action} {tax} {tax_start}. Dat werd {day_past} "
            "beslist op de gemeenteraad, na een lange discussie over de gemeentefinanciën.",
            "Inwoners van {muni} zullen het merken in hun portemonnee: de meerderheid {tax_action} "
            "{tax} {tax_start}. De beslissing kwam er met {votes} stemmen voor.",
        ),
        bodies=(
            "Volgens het college is de ingreep nodig om de begroting in evenwicht te houden. De "
            "energiefactuur van de gemeentelijke gebouwen en de stijgende loonkosten wegen zwaar "
            "op "
            "de rekeningen.",
            "De gemeente rekent op een effect van ongeveer {amount} per jaar. Een deel daarvan "
            "gaat "
            "naar het onderhoud van wegen en voetpaden, een ander deel naar de jeugd- en "
            "sportverenigingen.",
            "In vergelijking met de buurgemeenten blijft {muni} volgens de financiële dienst in de "
            "middenmoot. Een gezin betaalt gemiddeld {n_big} euro per jaar aan gemeentelijke "
            "belastingen.",
            "Voor gezinnen met een laag inkomen blijft een sociale correctie bestaan. Die moet wel "
            "jaarlijks opnieuw worden aangevraagd bij het sociaal huis.",
        ),
        quotes=(
            "‘Niemand betaalt graag meer, maar we kiezen voor eerlijkheid,’ zegt schepen van "
            "Financiën {p1} ({party}). ‘We tonen elke euro in het meerjarenplan.’",
            "{p2} ({party2}) noemt de beslissing onverstandig. ‘Het bestuur had eerst zelf moeten "
            "besparen, bijvoorbeeld op dure studies en communicatie.’",
            "Burgemeester {p1} ({party}): ‘We hebben de voorbije jaren geen nieuwe belastingen "
            "ingevoerd. Dit is een correctie, geen kaalslag.’",
        ),
        closings=COMMON_CLOSINGS,
        captions=(
            "De gemeenteraad van {muni} in zitting.",
            "Het gemeentehuis van {muni}.",
        ),
    ),
    _story(
        key="mandaat",
        topic="Politiek",
        tags=("gemeenteraad", "politiek", "bestuur"),
        titles=(
            "Nieuwe {role} in {muni}: {p1t} ({party_t})",
            "{p1t} ({party_t}) wordt {role} in {muni}",
        ),
        title_vars=(
            ("role", COUNCIL_ROLES),
            (
                "p1t",
                tuple(
                    f"{first} {last}"
                    for first, last in (
                        ("Annick", "Peeters"),
                        ("Bart", "Claes"),
                        ("Dirk", "Wouters"),
                        ("Els", "Mertens"),
                        ("Geert", "Van Looy"),
                        ("Hilde", "Verhoeven"),
                        ("Inge", "Smets"),
                        ("Jef", "Aerts"),
                        ("Koen", "Bosmans"),
                        ("Lotte", "Geens"),
                    )
                ),
            ),
            ("party_t", PARTIES_T),
        ),
        intros=(
            "In {muni} is {p1t} ({party_t}) {day_past} officieel begonnen aan een nieuw mandaat. "
            "De eedaflegging gebeurde in handen van de burgemeester, in een volle raadzaal.",
            "Er is een wissel in het bestuur van {muni}. {p1t} ({party_t}) neemt de fakkel over "
            "na een maandenlange discussie binnen de meerderheid.",
        ),
        bodies=(
            "{p1t} is geen onbekende in de gemeente. {n_word_cap} jaar lang was {p1t} actief in "
            "het "
            "verenigingsleven en zat in de raad van bestuur van het lokale jeugdhuis.",
            "De wissel was al bij het begin van de legislatuur afgesproken. Op die manier krijgen "
            "meerdere kandidaten met veel voorkeurstemmen een kans in het college.",
            "De bevoegdheden worden niet herverdeeld. De nieuwe mandataris neemt de dossiers "
            "{portfolio} en Communicatie over, die intussen tijdelijk door de burgemeester werden "
            "beheerd.",
        ),
        quotes=(
            "‘Ik wil vooral iemand zijn die luistert,’ zegt {p1t}. ‘De mensen in {muni} "
            "verwachten dat we de kleine dingen goed doen: een propere straat, een veilige "
            "schoolweg.’",
            "Burgemeester {p2} ({party}) verwelkomt de nieuwe collega: ‘Met deze ervaring kunnen "
            "we "
            "de lopende projecten zonder vertraging verderzetten.’",
        ),
        closings=(
            "De volgende gemeenteraad vindt plaats op {date_future} om {hour}.",
            "De samenstelling van het college is na te lezen op de website van {muni}.",
        ),
        captions=(
            "{p1t} bij de eedaflegging.",
            "De nieuwe ploeg op de trappen van het gemeentehuis.",
        ),
    ),
    _story(
        key="oppositie",
        topic="Politiek",
        tags=("gemeenteraad", "oppositie"),
        titles=(
            "{party_o} in {muni} kritisch over {opp_topic}",
            "Oppositie ({party_o}) eist duidelijkheid over {opp_topic} in {muni}",
            "{party_o} {muni} vraagt opheldering over {opp_topic}",
            "Raadsleden {party_o} in {muni} stappen op tijdens debat over {opp_topic}",
        ),
        title_vars=(("opp_topic", OPPOSITION_TOPICS), ("party_o", PARTIES_T)),
        intros=(
            "De oppositie in {muni} zet druk op het bestuur. Raadsleden van {party_o} vragen "
            "opheldering over {opp_topic} en dienden daarvoor een voorstel in op de gemeenteraad.",
            "Op de gemeenteraad van {muni} liep het {day_past} hoog op. {party_o} stelde vragen "
            "over {opp_topic} en kreeg volgens eigen zeggen geen bevredigend antwoord.",
        ),
        bodies=(
            "Volgens de oppositie werden de buurtbewoners te laat betrokken. Een petitie tegen de "
            "plannen verzamelde intussen al {n_big} handtekeningen.",
            "Het college verwijst naar de procedures. Alle documenten zouden sinds maanden "
            "beschikbaar zijn en het dossier werd besproken in de bevoegde commissie.",
            "Het voorstel van de oppositie om het dossier uit te stellen, werd met {votes} stemmen "
            "tegen verworpen. Enkele raadsleden van de meerderheid onthielden zich.",
        ),
        quotes=(
            "‘We vragen geen wonderen, alleen openheid,’ zegt fractieleider {p1} ({party_o}). ‘De "
            "inwoners hebben recht om te weten wat er met hun geld gebeurt.’",
            "Schepen {p2} ({party}) reageert kalm: ‘Iedereen mag zijn mening hebben, maar de "
            "beslissing is democratisch genomen en goed voorbereid.’",
        ),
        closings=COMMON_CLOSINGS,
        captions=("De raadzaal van {muni} tijdens de zitting.", "Oppositieraadslid {p1}."),
    ),
    _story(
        key="wegenwerken",
        topic="Mobiliteit",
        tags=("wegenwerken", "mobiliteit", "verkeer"),
        titles=(
            "Wegenwerken aan {street_part} {street_t} in {muni}",
            "{muni} vernieuwt {street_part} {street_t}",
        ),
        title_vars=(
            ("street_part", STREET_PARTS),
            (
                "street_t",
                (
                    "Kerkstraat",
                    "Stationsstraat",
                    "Molenstraat",
                    "Dorpsstraat",
                    "Schoolstraat",
                    "Nieuwstraat",
                    "Kapelstraat",
                    "Veldstraat",
                    "Bosstraat",
                    "Heidestraat",
                    "Lindelei",
                    "Kasteeldreef",
                    "Processieweg",
                    "Lierseweg",
                    "Mechelsesteenweg",
                    "Turnhoutsebaan",
                    "Antwerpsesteenweg",
                    "Liersesteenweg",
                    "Boomsesteenweg",
                    "Bredabaan",
                    "Beekstraat",
                    "Hoogstraat",
                    "Laarstraat",
                    "Zandstraat",
                    "Pastorijstraat",
                    "Kloosterstraat",
                    "Vaartstraat",
                    "Dijkstraat",
                    "Hofstraat",
                    "Bergstraat",
                    "Eikenlaan",
                    "Beukenlaan",
                    "Berkenlaan",
                    "Lindenlaan",
                    "Kastanjelaan",
                    "Vijverstraat",
                    "Gasthuisstraat",
                    "Ringlaan",
                    "Industrieweg",
                    "Vredestraat",
                ),
            ),
        ),
        intros=(
            "Vanaf {date_future} starten de werken aan {street_part} {street_t} in {muni}. De "
            "straat is dan enkele maanden onderbroken voor doorgaand verkeer.",
            "Goed nieuws voor de bewoners van de {street_t} in {muni}: de langverwachte heraanleg "
            "gaat van start. De aannemer begint op {date_future} met de voorbereidende werken.",
        ),
        bodies=(
            "Er komt een gescheiden riolering, zodat regenwater niet langer samen met afvalwater "
            "naar "
            "de zuivering stroomt. Aquafin en de gemeente delen de kosten van ongeveer {amount}.",
            "Tijdens de werken wordt het verkeer omgeleid via de {street2}. Lijnbussen volgen een "
            "aangepaste route; de haltes in de {street_t} worden tijdelijk verplaatst.",
            "Bewoners blijven hun woning bereiken, behalve op enkele dagen wanneer de toplaag "
            "wordt "
            "aangebracht. Zij krijgen daarover vooraf een brief van de aannemer.",
            "Na de werken krijgt de straat bredere voetpaden, verhoogde fietspaden en "
            "{n_word} nieuwe bomen. De maximumsnelheid wordt verlaagd naar 30 kilometer per uur.",
            "Handelaars in de buurt vrezen omzetverlies. De gemeente voorziet daarom een "
            "hinderpremie en extra bewegwijzering naar de winkels.",
        ),
        quotes=(
            "‘We weten dat dit voor de buurt een moeilijke periode wordt,’ zegt schepen van "
            "Openbare Werken {p1} ({party}). ‘Daarom spreken we elke maand af met de bewoners om "
            "de planning te overlopen.’",
            "Buurtbewoner {p3} kijkt ernaar uit: ‘De straat lag er al jaren slecht bij. Met de "
            "fiets was het hier gewoon gevaarlijk.’",
            "‘Als het weer meezit, zijn we voor het bouwverlof klaar,’ zegt werfleider {p2}.",
        ),
        closings=(
            "Een infomarkt over de werken vindt plaats op {date_future} om {hour} in de "
            "gemeentelijke feestzaal.",
            "De omleidingen staan aangegeven. Actuele informatie is te vinden op de website van "
            "{muni}.",
        ),
        captions=(
            "De {street_t} in {muni} voor de start van de werken.",
            "Het ontwerp van de nieuwe {street_t}.",
        ),
    ),
    _story(
        key="fietspad",
        topic="Mobiliteit",
        tags=("fietsers", "mobiliteit", "verkeersveiligheid"),
        titles=(
            "{bike_cap} in de {street_t} in {muni}",
            "{muni} krijgt {bike} in de {street_t}",
        ),
        title_vars=(
            ("bike", BIKE_PROJECTS),
            (
                "street_t",
                (
                    "Kerkstraat",
                    "Stationsstraat",
                    "Molenstraat",
                    "Dorpsstraat",
                    "Schoolstraat",
                    "Nieuwstraat",
                    "Kapelstraat",
                    "Veldstraat",
                    "Bosstraat",
                    "Heidestraat",
                    "Lindelei",
                    "Kasteeldreef",
                    "Processieweg",
                    "Lierseweg",
                    "Mechelsesteenweg",
                    "Turnhoutsebaan",
                    "Antwerpsesteenweg",
                    "Liersesteenweg",
                    "Boomsesteenweg",
                    "Bredabaan",
                    "Beekstraat",
                    "Hoogstraat",
                    "Laarstraat",
                    "Zandstraat",
                    "Pastorijstraat",
                    "Kloosterstraat",
                    "Vaartstraat",
                    "Dijkstraat",
                    "Hofstraat",
                    "Bergstraat",
                    "Eikenlaan",
                    "Beukenlaan",
                ),
            ),
        ),
        intros=(
            "Fietsers in {muni} krijgen er een veiligere route bij. In de {street_t} komt een "
            "{bike}, "
            "zo besliste het schepencollege {day_past}.",
            "De provincie Antwerpen en de gemeente {muni} investeren samen in een {bike} in de "
            "{street_t}. Het gaat om een belangrijke schakel in het bovenlokale fietsnetwerk.",
        ),
        bodies=(
            "Dagelijks rijden er volgens tellingen meer dan {n_big} fietsers door de straat, onder "
            "wie veel scholieren. Tijdens de spits is het er druk met auto's en vrachtverkeer.",
            "De provincie betaalt een groot deel van de kosten via het fietsfonds. De gemeente "
            "legt "
            "zelf {amount} op tafel voor de aanpassingen aan de kruispunten.",
            "De fietsersbond drong al lang aan op een oplossing. Vorig jaar vielen in de straat "
            "{n_word} gewonden bij ongevallen met fietsers.",
        ),
        quotes=(
            "‘Kinderen moeten veilig naar school kunnen fietsen, dat is voor ons de prioriteit,’ "
            "zegt schepen van Mobiliteit {p1} ({party}).",
            "‘Eindelijk,’ reageert {p3} van de plaatselijke fietsersbond. ‘We hebben hier jaren "
            "voor gepleit. Nu is het belangrijk dat de werken snel gebeuren.’",
        ),
        closings=(
            "De werken starten ten vroegste in {next_year}, na de aanbesteding.",
            "Het ontwerp wordt voorgesteld op een infoavond op {date_future} om {hour}.",
        ),
        captions=(
            "Fietsers in de {street_t} in {muni}.",
            "Een simulatie van de nieuwe fietsinfrastructuur.",
        ),
    ),
    _story(
        key="bus",
        topic="Mobiliteit",
        tags=("De Lijn", "openbaar vervoer", "mobiliteit"),
        titles=(
            "Buslijn {line} in {muni} {bus_news} vanaf {month_t}",
            "De Lijn: lijn {line} {bus_news} in {muni} vanaf {month_t}",
        ),
        title_vars=(("line", BUS_LINES), ("bus_news", BUS_NEWS), ("month_t", MONTHS_T)),
        intros=(
            "Reizigers van De Lijn in {muni} moeten zich aanpassen: lijn {line} {bus_news}. De "
            "wijziging gaat in op {date_future}.",
            "Vanaf {date_future} verandert er iets voor de bus in {muni}. Lijn {line} {bus_news}, "
            "zo bevestigt De Lijn.",
        ),
        bodies=(
            "De aanpassing hangt samen met het nieuwe vervoersplan van de vervoerregio. Daarin "
            "krijgen drukke verbindingen meer ritten, terwijl rustige haltes minder vaak bediend "
            "worden.",
            "Voor mensen die slecht te been zijn, blijft er vervoer op maat mogelijk via de "
            "belbus. Reserveren moet minstens een uur op voorhand.",
            "Volgens De Lijn stappen er op de lijn dagelijks gemiddeld {n_big} reizigers op. "
            "Vooral "
            "scholieren en pendelaars naar het station maken er gebruik van.",
        ),
        quotes=(
            "‘We begrijpen dat niet iedereen blij is met deze verandering,’ zegt woordvoerder {p2} "
            "van De Lijn. ‘We volgen de reizigersaantallen de komende maanden op de voet.’",
            "Schepen {p1} ({party}) had liever een andere oplossing gezien: ‘Voor de oudere "
            "inwoners van onze deelgemeenten is de bus vaak het enige vervoer.’",
        ),
        closings=(
            "De nieuwe dienstregeling staat op de website en in de app van De Lijn.",
            "Vragen kunnen via De Lijn Infolijn of aan het onthaal van het gemeentehuis.",
        ),
        captions=("Een bus van De Lijn in het centrum van {muni}.", "De bushalte aan de {street}."),
    ),
    _story(
        key="parkeren",
        topic="Mobiliteit",
        tags=("parkeren", "mobiliteit", "centrum"),
        titles=(
            "{muni} {parking_news} {parking_place} vanaf {month_t}",
            "Parkeerplan: {muni} {parking_news} {parking_place} vanaf {month_t}",
        ),
        title_vars=(
            ("parking_news", PARKING_NEWS),
            ("parking_place", PARKING_PLACES),
            ("month_t", MONTHS_T),
        ),
        intros=(
            "Het parkeerbeleid in {muni} verandert: de gemeente {parking_news} {parking_place}. "
            "De nieuwe regeling gaat in op {date_future}.",
            "Autobestuurders in {muni} moeten opletten. Het bestuur {parking_news} "
            "{parking_place}, "
            "zo werd {day_past} beslist.",
        ),
        bodies=(
            "Uit een parkeerstudie bleek dat veel plaatsen de hele dag door dezelfde wagens "
            "worden ingenomen. Winkelend publiek vindt daardoor moeilijk een plekje.",
            "Bewoners kunnen een bewonerskaart aanvragen bij de dienst burgerzaken. De eerste "
            "kaart "
            "is gratis, een tweede kaart kost {n} euro per jaar.",
            "Er komen ook {n_word} extra laadpalen voor elektrische wagens en een overdekte "
            "fietsenstalling.",
        ),
        quotes=(
            "‘We willen het centrum aangenaam houden voor wie er winkelt en woont,’ zegt schepen "
            "{p1} ({party}).",
            "Handelaar {p3} is voorzichtig positief: ‘Als klanten makkelijker een plaats vinden, "
            "is dat goed. Maar het moet duidelijk gecommuniceerd worden.’",
        ),
        closings=COMMON_CLOSINGS,
        captions=("Parkeerplaatsen {parking_place} in {muni}.", "Het nieuwe parkeerbord."),
    ),
    _story(
        key="schoolnieuws",
        topic="Onderwijs",
        tags=("onderwijs", "school", "leerlingen"),
        titles=(
            "{school_kind} {school_t} in {muni} {school_news}",
            "{muni}: {school_kind_low} {school_t} {school_news}",
        ),
        title_vars=(
            ("school_kind", SCHOOL_KINDS),
            ("school_t", SCHOOL_NAMES_SHORT),
            ("school_news", SCHOOL_NEWS),
        ),
        intros=(
            "Feest in {school_kind_low} {school_t} in {muni}: de school {school_news}. Leerlingen, "
            "leerkrachten en ouders kwamen {day_past} samen om het moment te vieren.",
            "{school_kind} {school_t} in {muni} {school_news}. Directeur {p1} spreekt van een "
            "mijlpaal voor de school, die vandaag {n_big} leerlingen telt.",
        ),
        bodies=(
            "De school groeide de voorbije jaren snel door de nieuwe verkavelingen in de buurt. "
            "Sommige klassen kregen les in containers, wat geen duurzame oplossing was.",
            "Het project kwam tot stand met steun van AGION, het agentschap dat schoolgebouwen "
            "subsidieert, en met de hulp van het oudercomité.",
            "De leerlingen dachten zelf mee na over de plannen. In de leerlingenraad werden "
            "ideeën verzameld over een rustige hoek, een moestuin en meer plaats om te spelen.",
            "Ook de buurt haalt voordeel uit de vernieuwing: na de schooluren is de speelplaats "
            "open voor kinderen uit de wijk.",
        ),
        quotes=(
            "‘Onze kinderen verdienen een omgeving waarin ze graag leren,’ zegt directeur {p1}. "
            "‘Dit is het resultaat van jaren werk.’",
            "Schepen van Onderwijs {p2} ({party}) was aanwezig: ‘Een sterke school is het hart van "
            "een buurt. We blijven daarin investeren.’",
            "‘Het is hier nu veel leuker,’ vertelt {child}, leerling van het vijfde leerjaar.",
        ),
        closings=(
            "Op {date_future} houdt de school een opendeurdag voor nieuwe ouders.",
            "Inschrijvingen voor het volgende schooljaar verlopen via het centrale "
            "aanmeldingssysteem van {muni}.",
        ),
        captions=("Leerlingen van basisschool {school_t}.", "De nieuwe speelplaats van de school."),
    ),
    _story(
        key="leerlingen",
        topic="Onderwijs",
        tags=("onderwijs", "leerlingen", "jongeren"),
        titles=(
            "{n_pupils} leerlingen van {school} in {muni} {pupil_action}",
            "{muni}: {n_pupils_low} leerlingen van {school} {pupil_action}",
        ),
        title_vars=(
            ("n_pupils", PUPIL_COUNTS),
            ("school", SCHOOLS),
            ("pupil_action", PUPIL_ACTIONS),
        ),
        intros=(
            "Leerlingen van {school} in {muni} zetten zich in voor hun gemeente. Het project "
            "kwam er op initiatief van de leerkrachten van de derde graad.",
            "Een opmerkelijk project van {school} in {muni}: de leerlingen werkten er weken aan "
            "en stelden het resultaat {day_past} voor aan ouders en buren.",
        ),
        bodies=(
            "Het project past in de lessen burgerschap. De leerlingen leren er hoe een gemeente "
            "werkt en hoe ze zelf iets kunnen veranderen in hun buurt.",
            "Ze kregen hulp van vrijwilligers van {assoc} en van medewerkers van de gemeente. "
            "In totaal werkten {n} leerlingen mee.",
            "De opbrengst van de actie, ruim {n_big} euro, gaat naar een lokale vereniging die "
            "kinderen in armoede ondersteunt.",
        ),
        quotes=(
            "‘Je ziet hoe trots ze zijn,’ zegt leerkracht {p1}. ‘Ze hebben alles zelf bedacht en "
            "georganiseerd.’",
            "‘Ik wist niet dat er zoveel te doen is in {muni},’ zegt {child}, {age} jaar.",
        ),
        closings=(
            "De school wil het project volgend schooljaar herhalen.",
            "Het werk van de leerlingen is tot {date_future} te zien in de bibliotheek.",
        ),
        captions=("De leerlingen van {school} aan het werk.", "Een groepsfoto van de deelnemers."),
    ),
    _story(
        key="brand",
        topic="Veiligheid",
        tags=("brand", "brandweer", "hulpdiensten"),
        titles=(
            "Brand in {fire_site} in de {street_t} in {muni}{fire_outcome_t}",
            "{muni}: uitslaande brand in {fire_site} aan de {street_t}{fire_outcome_t}",
        ),
        title_vars=(
            ("fire_site", FIRE_SITES),
            ("street_t", STREETS[:30]),
            ("fire_outcome_t", tuple("," + o if o else "" for o in FIRE_OUTCOMES)),
        ),
        intros=(
            "In de {street_t} in {muni} is {day_past} brand uitgebroken in een {fire_site}. "
            "De brandweer was snel ter plaatse, maar kon niet verhinderen dat het vuur zich "
            "uitbreidde.",
            "{zone} rukte {day_past} uit voor een brand in een {fire_site} aan de {street_t} in "
            "{muni}. Een buurman had rook opgemerkt en de hulpdiensten verwittigd.",
        ),
        bodies=(
            "De bewoners konden het gebouw op tijd verlaten. Ze werden uit voorzorg onderzocht "
            "door "
            "een ziekenwagen, maar moesten niet naar het ziekenhuis.",
            "Het vuur ontstond vermoedelijk door een technisch defect. Het parket stuurde een "
            "branddeskundige ter plaatse om de precieze oorzaak te achterhalen.",
            "Tijdens het bluswerk was de straat enkele uren afgesloten. De politie leidde het "
            "verkeer om via de {street2}.",
            "De schade is aanzienlijk. De gemeente zoekt samen met het sociaal huis tijdelijke "
            "opvang voor de getroffen familie.",
        ),
        quotes=(
            "‘Toen we aankwamen, sloegen de vlammen al uit het dak,’ zegt officier {p2} van "
            "{zone}. ‘Het was belangrijk om de buurpanden te beschermen.’",
            "Buurvrouw {p3} schrok zich een hoedje: ‘Ik hoorde een knal en zag dan de rook. "
            "Gelukkig "
            "was iedereen snel buiten.’",
        ),
        closings=(
            "{zone} herinnert eraan dat een werkende rookmelder levens redt.",
            "Het onderzoek naar de oorzaak loopt nog.",
        ),
        captions=(
            "De brandweer aan het werk in de {street_t}.",
            "Brandweerlui bij de uitgebrande {fire_site}.",
        ),
    ),
    _story(
        key="ongeval",
        topic="Veiligheid",
        tags=("verkeersongeval", "politie", "verkeersveiligheid"),
        titles=(
            "{crash} bij ongeval in de {street_t} in {muni}",
            "{muni}: {crash_low} op de {street_t}",
        ),
        title_vars=(("crash", CRASH_KINDS), ("street_t", STREETS)),
        intros=(
            "Op de {street_t} in {muni} is {day_past} een zwaar verkeersongeval gebeurd. De "
            "hulpdiensten waren snel ter plaatse.",
            "Een ongeval in de {street_t} in {muni} heeft {day_past} voor heel wat verkeershinder "
            "gezorgd. De straat bleef urenlang afgesloten.",
        ),
        bodies=(
            "Volgens de eerste vaststellingen zag een bestuurder bij het afslaan een tegenligger "
            "over het hoofd. Het slachtoffer werd naar het ziekenhuis gebracht.",
            "De politie stuurde een verkeersdeskundige ter plaatse. Het parket onderzoekt hoe het "
            "ongeval precies kon gebeuren.",
            "Buurtbewoners klagen al langer over de snelheid in de straat. Ze vragen een "
            "snelheidsremmer en betere verlichting aan de oversteekplaats.",
        ),
        quotes=(
            "‘Dit is helaas geen verrassing,’ zegt buurtbewoner {p3}. ‘Hier wordt veel te snel "
            "gereden.’",
            "Burgemeester {p1} ({party}) belooft maatregelen: ‘We bekijken met de politie hoe we "
            "deze plek veiliger kunnen maken.’",
        ),
        closings=(
            "De politie zoekt getuigen van het ongeval. Wie iets gezien heeft, kan contact opnemen "
            "met de lokale politie.",
            "De bestuurder legde een negatieve ademtest af.",
        ),
        captions=("De hulpdiensten op de plaats van het ongeval.", "De {street_t} in {muni}."),
    ),
    _story(
        key="controle",
        topic="Veiligheid",
        tags=("politie", "controle", "verkeer"),
        titles=(
            "Politie houdt {check} in de {street_t} in {muni}: {check_result}",
            "{check_cap} in de {street_t} in {muni} levert {check_result} op",
        ),
        title_vars=(
            ("check", CHECK_KINDS),
            ("check_result", CHECK_RESULTS),
            ("street_t", STREETS[:20]),
        ),
        intros=(
            "De lokale politie heeft {day_past} een {check} gehouden in de {street_t} in {muni}. "
            "De actie leverde {check_result} op.",
            "In {muni} controleerde de politie {day_past} {n_big} bestuurders tijdens een "
            "{check}. Resultaat: {check_result}.",
        ),
        bodies=(
            "De controle maakt deel uit van een bredere actie in de politiezone. Er wordt gefocust "
            "op plaatsen waar buurtbewoners klachten over hebben ingediend.",
            "Wie betrapt werd, krijgt een onmiddellijke inning of een proces-verbaal. Bij zware "
            "overtredingen wordt het dossier doorgestuurd naar het parket.",
            "De politie kondigt aan dat er de komende weken nog controles volgen, zowel "
            "aangekondigd "
            "als onaangekondigd.",
        ),
        quotes=(
            "‘Het gaat ons niet om het uitschrijven van boetes, maar om de veiligheid van "
            "iedereen,’ zegt commissaris {p2}.",
            "‘De meeste mensen houden zich aan de regels, maar een kleine groep brengt anderen in "
            "gevaar,’ aldus korpschef {p2}.",
        ),
        closings=(
            "De resultaten van de controles worden maandelijks gedeeld op de website van de "
            "politiezone.",
        ),
        captions=(
            "Agenten tijdens de controle in {muni}.",
            "Een controlepost van de lokale politie.",
        ),
    ),
    _story(
        key="inbraak",
        topic="Veiligheid",
        tags=("inbraak", "politie", "diefstal"),
        titles=(
            "Reeks inbraken in {burglary} rond de {street_t} in {muni}",
            "Politie {muni} waarschuwt na inbraken in {burglary} in de buurt van de {street_t}",
        ),
        title_vars=(("burglary", BURGLARY_TARGETS), ("street_t", STREETS)),
        intros=(
            "In {muni} zijn de voorbije dagen meerdere inbraken gepleegd in {burglary}. De politie "
            "vraagt de inwoners extra waakzaam te zijn.",
            "De lokale politie onderzoekt een reeks inbraken in {burglary} in {muni}. Vooral de "
            "buurt rond de {street_t} werd getroffen.",
        ),
        bodies=(
            "De daders sloegen telkens 's nachts toe. Ze forceerden een raam of een achterdeur en "
            "gingen aan de haal met geld, elektronica en gereedschap.",
            "Het labo van de federale politie kwam sporen nemen. Camerabeelden uit de buurt worden "
            "bekeken.",
            "De politie organiseert gratis diefstalpreventieadvies. Een techno-preventief adviseur "
            "komt op afspraak langs om zwakke punten in de woning aan te wijzen.",
        ),
        quotes=(
            "‘Meld verdachte zaken altijd via 101, ook als je twijfelt,’ zegt inspecteur {p2}.",
            "Een getroffen bewoner, {p3}, is aangeslagen: ‘Het gaat niet om de spullen, maar om "
            "het "
            "gevoel dat iemand in je huis is geweest.’",
        ),
        closings=(
            "Getuigen kunnen zich melden bij de lokale politie.",
            "Tips om inbraak te voorkomen staan op de website van de politiezone.",
        ),
        captions=("Sporen van braak aan een achterdeur.", "Een politiewagen in de {street_t}."),
    ),
    _story(
        key="incident",
        topic="Veiligheid",
        tags=("hulpdiensten", "nutsvoorzieningen"),
        titles=(
            "{flood} in de {street_t} in {muni}",
            "{muni}: {flood_low} zorgt voor hinder in de {street_t}",
        ),
        title_vars=(("flood", FLOOD_NEWS), ("street_t", STREETS)),
        intros=(
            "Bewoners van de {street_t} in {muni} kregen {day_past} te maken met {flood_low}. "
            "Technici van Fluvius en de brandweer kwamen ter plaatse.",
            "In {muni} zorgde {flood_low} {day_past} voor heel wat ongemak. Verschillende "
            "woningen in de {street_t} werden getroffen.",
        ),
        bodies=(
            "De hulpdiensten zetten de omgeving af en lieten enkele woningen uit voorzorg "
            "ontruimen. Na een paar uur konden de bewoners terug naar binnen.",
            "De herstelling nam meer tijd in beslag dan verwacht. Voor de getroffen gezinnen werd "
            "koffie en soep voorzien in de parochiezaal.",
            "De gemeente laat onderzoeken of de leidingen in de straat versneld vervangen kunnen "
            "worden.",
        ),
        quotes=(
            "‘Iedereen heeft goed samengewerkt,’ zegt burgemeester {p1} ({party}). ‘De buren "
            "hebben "
            "elkaar geholpen, dat was mooi om te zien.’",
            "‘We hebben alles op tijd naar boven gedragen,’ zegt bewoner {p3}.",
        ),
        closings=(
            "Schade kan gemeld worden bij de verzekeraar en bij de technische dienst van {muni}.",
        ),
        captions=("Technici aan het werk in de {street_t}.", "De hulpdiensten in {muni}."),
    ),
    _story(
        key="drugs",
        topic="Veiligheid",
        tags=("drugs", "politie", "justitie"),
        titles=(
            "Politie ontdekt {drug_find} in {drug_place} in de {street_t} in {muni}",
            "{muni}: politie vindt {drug_find} in {drug_place} aan de {street_t}",
        ),
        title_vars=(
            ("drug_find", DRUG_FINDS),
            (
                "drug_place",
                (
                    "woning",
                    "loods",
                    "garagebox",
                    "leegstaand bedrijfspand",
                    "kelder",
                    "boerderij",
                ),
            ),
            ("street_t", STREETS[:20]),
        ),
        intros=(
            "De politie heeft in {muni} een {drug_find} ontdekt. De vondst gebeurde {day_past} "
            "tijdens een huiszoeking op bevel van de onderzoeksrechter.",
            "Speurders zijn in {muni} op een {drug_find} gestuit. Het parket van Antwerpen "
            "bevestigt "
            "dat er {n_word} verdachten zijn opgepakt.",
        ),
        bodies=(
            "Buren hadden een vreemde geur en veel verkeer 's nachts opgemerkt. Na enkele weken "
            "observatie viel de politie binnen.",
            "De civiele bescherming hielp bij het ontmantelen van de installatie. Die was volgens "
            "de politie professioneel opgezet en vormde een brandgevaar voor de buurt.",
            "De verdachten worden voorgeleid bij de onderzoeksrechter. Het onderzoek loopt verder.",
        ),
        quotes=(
            "‘Dit is het resultaat van goed speurwerk en van burgers die hun ogen openhouden,’ "
            "zegt woordvoerder {p2} van het parket.",
        ),
        closings=("Het parket geeft geen verdere informatie in het belang van het onderzoek.",),
        captions=("De politie voert de installatie af.", "Het pand waar de vondst gebeurde."),
    ),
    _story(
        key="tentoonstelling",
        topic="Cultuur",
        tags=("tentoonstelling", "kunst", "cultuur"),
        titles=(
            "Tentoonstelling met {exhibit} van {artist} {venue} van {muni}",
            "{artist} toont {exhibit} {venue} in {muni}",
        ),
        title_vars=(
            ("exhibit", EXHIBITIONS),
            ("venue", VENUES),
            (
                "artist",
                (
                    "Mieke Laureys",
                    "Jos Verbist",
                    "Annelies De Wit",
                    "Rudi Van Mol",
                    "Karel Smet",
                    "Greet Wuyts",
                    "Tom Raes",
                    "Linde Peeters",
                ),
            ),
        ),
        intros=(
            "Vanaf {date_future} is {venue} van {muni} een tentoonstelling te zien met {exhibit} "
            "van "
            "{artist}. De kunstenaar woont al jaren in de gemeente.",
            "{artist} stelt {exhibit} tentoon {venue} in {muni}. De expositie loopt tot eind "
            "{month_future} en is gratis te bezoeken.",
        ),
        bodies=(
            "De werken gaan over het landschap van de streek: de velden, de Nete, de oude "
            "hoeves die langzaam verdwijnen. Veel stukken zijn nooit eerder getoond.",
            "De kunstenaar volgde les aan de academie en werkte daarna jaren als leerkracht. "
            "Pas na het pensioen kwam er tijd om zelf te creëren.",
            "Op {date_future} is er een rondleiding met de kunstenaar. Inschrijven is "
            "aangeraden, want het aantal plaatsen is beperkt.",
        ),
        quotes=(
            "‘Ik kijk graag naar wat anderen niet meer zien,’ zegt {artist}. ‘Een oude schuur, "
            "een knotwilg, het licht op een winterochtend.’",
            "Schepen van Cultuur {p1} ({party}): ‘Het is fijn om talent uit onze eigen gemeente "
            "een "
            "podium te geven.’",
        ),
        closings=(
            "De tentoonstelling is open van woensdag tot zondag, telkens van 14 tot 18 uur.",
            "De toegang is gratis.",
        ),
        captions=("{artist} bij een van de werken.", "Een blik op de tentoonstelling."),
    ),
    _story(
        key="festival",
        topic="Cultuur",
        tags=("festival", "muziek", "evenement"),
        titles=(
            "{festival_cap} in {muni} {festival_news} {edition}",
            "{muni}: {festival} {festival_news} {edition}",
        ),
        title_vars=(
            ("festival", FESTIVALS),
            ("festival_news", FESTIVAL_NEWS),
            ("edition", EDITIONS),
        ),
        intros=(
            "{festival_cap} in {muni} {festival_news}. De organisatoren maakten het nieuws "
            "{day_past} bekend op een persmoment in het gemeentehuis.",
            "Het is weer bijna zover: {festival} komt eraan in {muni}. En er is nieuws: het "
            "evenement {festival_news}, zo laten de organisatoren weten.",
        ),
        bodies=(
            "Het evenement vindt plaats op {date_future} op het plein aan de {street}. Er is "
            "muziek "
            "voor jong en oud, met een kinderdorp en een eetstand van de plaatselijke "
            "verenigingen.",
            "De organisatie rekent op meer dan {n_big} bezoekers. Er worden extra "
            "fietsenstallingen "
            "voorzien en de omliggende straten worden afgesloten voor autoverkeer.",
            "Het festival draait volledig op vrijwilligers. Wie wil helpen, kan zich nog opgeven "
            "via de website van de organisatie.",
        ),
        quotes=(
            "‘We willen een feest maken voor iedereen in {muni},’ zegt voorzitter {p2} van het "
            "organiserend comité.",
            "‘Vorig jaar was het een schot in de roos,’ zegt schepen {p1} ({party}). ‘Dit soort "
            "evenementen brengt mensen samen.’",
        ),
        closings=(
            "De toegang is gratis. Het volledige programma staat op de website.",
            "Tickets kosten {n} euro in voorverkoop.",
        ),
        captions=("Sfeerbeeld van een vorige editie.", "De organisatoren van {festival}."),
    ),
    _story(
        key="bibliotheek",
        topic="Cultuur",
        tags=("bibliotheek", "lezen", "cultuur"),
        titles=(
            "Bibliotheek {muni} {library_news} {library_extra}",
            "{muni}: bibliotheek {library_news} {library_extra}",
            "Bib {muni} {library_news} {library_extra}",
        ),
        title_vars=(("library_news", LIBRARY_NEWS), ("library_extra", LIBRARY_EXTRAS)),
        intros=(
            "De bibliotheek van {muni} breidt haar dienstverlening uit. Het nieuwe aanbod werd "
            "{day_past} voorgesteld aan de pers.",
            "Goed nieuws voor de lezers in {muni}: de bibliotheek komt met iets nieuws. Het "
            "initiatief "
            "kwam er na een bevraging bij {n_big} gebruikers.",
        ),
        bodies=(
            "De bibliotheek telt vandaag ruim {n_big} actieve leden. Vooral gezinnen met jonge "
            "kinderen en senioren maken er gebruik van.",
            "Het nieuwe aanbod wordt gedragen door vrijwilligers. Ze kregen een opleiding van het "
            "personeel en staan klaar om bezoekers te helpen.",
            "De bibliotheek is intussen meer dan een plaats om boeken te lenen. Er zijn "
            "werkplekken, een leescafé en regelmatig lezingen en workshops.",
        ),
        quotes=(
            "‘Een bibliotheek moet een huiskamer zijn voor de hele gemeente,’ zegt bibliothecaris "
            "{p2}.",
            "‘We merken dat mensen elkaar hier graag ontmoeten,’ zegt schepen {p1} ({party}).",
        ),
        closings=("De bibliotheek is open van dinsdag tot zaterdag.",),
        captions=("De bibliotheek van {muni}.", "Bibliothecaris {p2} in de leeshoek."),
    ),
    _story(
        key="toneel",
        topic="Cultuur",
        tags=("toneel", "vereniging", "cultuur"),
        titles=(
            "Toneelgroep {troupe} uit {muni} speelt {play} in {month_t}",
            "{play_cap} van {troupe} in {muni} in {month_t}",
        ),
        title_vars=(
            ("play", PLAY_KINDS),
            (
                "troupe",
                (
                    "De Vrije Spelers",
                    "Het Masker",
                    "Tijl",
                    "De Kajotters",
                    "Sint-Genesius",
                    "De Dorpsspelers",
                    "Pierrot",
                    "Vreugde na Arbeid",
                ),
            ),
            ("month_t", MONTHS_T),
        ),
        intros=(
            "Toneelgroep {troupe} uit {muni} brengt dit seizoen een {play}. De première is op "
            "{date_future} in de parochiezaal.",
            "Het is druk in de repetitieruimte van {troupe} in {muni}. De groep werkt aan een "
            "nieuwe productie, een {play}, die binnenkort in première gaat.",
        ),
        bodies=(
            "Aan de productie werken meer dan {n} vrijwilligers mee: spelers, technici, souffleurs "
            "en helpers achter de bar.",
            "De regie is in handen van {p2}, die al jaren aan de kar trekt bij de groep. Het decor "
            "werd volledig zelf gebouwd.",
            "De groep bestaat al {years} jaar en speelt elk jaar voor volle zalen.",
        ),
        quotes=(
            "‘Het publiek mag zich aan een avond vol humor verwachten,’ zegt regisseur {p2}.",
            "‘Toneel spelen is voor ons vooral samen iets opbouwen,’ vertelt speelster {p3}.",
        ),
        closings=("Kaarten kosten {n} euro en zijn te reserveren via de website van de groep.",),
        captions=("De spelers van {troupe} tijdens de repetitie.",),
    ),
    _story(
        key="club",
        topic="Sport",
        tags=("sport", "club", "jeugd"),
        titles=(
            "{club_t} {muni} {club_achievement} {circumstance}",
            "{muni}: {club_t} {club_achievement} {circumstance}",
        ),
        title_vars=(
            ("club_t", CLUBS),
            ("club_achievement", CLUB_ACHIEVEMENTS),
            ("circumstance", CLUB_CIRCUMSTANCES),
        ),
        intros=(
            "Grote vreugde bij {club_t} {muni}: de club {club_achievement}. Spelers, trainers en "
            "supporters vierden het succes {day_past} tot in de late uurtjes.",
            "Het seizoen van {club_t} {muni} had niet beter kunnen eindigen. De club "
            "{club_achievement}, na een spannende laatste wedstrijd.",
        ),
        bodies=(
            "De club telt vandaag {n_big} leden, van wie meer dan de helft jonger is dan achttien. "
            "De jeugdwerking draait volledig op vrijwilligers.",
            "Trainer {p2} kwam drie jaar geleden naar de club en bouwde een hechte groep op. Veel "
            "spelers komen uit de eigen jeugdopleiding.",
            "De gemeente kondigde aan dat de club een extra subsidie krijgt voor nieuwe "
            "uitrusting.",
        ),
        quotes=(
            "‘Dit is een beloning voor iedereen die hier elke week staat,’ zegt voorzitter {p1}.",
            "‘We hebben als team gespeeld, dat maakte het verschil,’ zegt kapitein {p3}.",
        ),
        closings=(
            "De club zoekt nog nieuwe leden en vrijwilligers. Info via het clubsecretariaat.",
            "Op {date_future} is er een huldiging op het gemeentehuis.",
        ),
        captions=(
            "De spelers van {club_t} {muni} vieren feest.",
            "Een groepsfoto na de wedstrijd.",
        ),
    ),
    _story(
        key="sportinfra",
        topic="Sport",
        tags=("sport", "infrastructuur"),
        titles=(
            "{muni} {facility_news} {facility} aan de {street_t}",
            "Sportraad blij: {muni} {facility_news} {facility} aan de {street_t}",
        ),
        title_vars=(
            ("facility_news", FACILITY_NEWS),
            ("facility", tuple("een " + f for f in SPORT_FACILITIES)),
            ("street_t", STREETS[:12]),
        ),
        intros=(
            "In {muni} wordt volop geïnvesteerd in sport. De gemeente {facility_news} {facility}, "
            "zo werd {day_past} aangekondigd.",
            "Sportievelingen in {muni} mogen zich verheugen: de gemeente {facility_news} "
            "{facility}. "
            "De kostprijs bedraagt {amount}.",
        ),
        bodies=(
            "De sportdienst merkte dat de bestaande accommodatie overbevraagd is. Clubs moesten "
            "soms uitwijken naar buurgemeenten om te trainen.",
            "De nieuwe infrastructuur is ook toegankelijk voor scholen en voor individuele "
            "sporters. "
            "Reserveren kan via het online reservatiesysteem van de gemeente.",
            "Er wordt rekening gehouden met duurzaamheid: ledverlichting, opvang van regenwater en "
            "zonnepanelen op het dak van de kleedkamers.",
        ),
        quotes=(
            "‘Sport is gezond en verbindt mensen,’ zegt schepen van Sport {p1} ({party}).",
            "Voorzitter {p2} van de sportraad: ‘Hier hebben we jaren op gewacht.’",
        ),
        closings=("De officiële opening is gepland op {date_future}.",),
        captions=("De nieuwe sportinfrastructuur in {muni}.",),
    ),
    _story(
        key="loop",
        topic="Sport",
        tags=("loopwedstrijd", "sport", "goede doel"),
        titles=(
            "{run} {muni} {run_news} {run_edition}",
            "{run} in {muni} {run_news} {run_edition}",
        ),
        title_vars=(("run", RUNS), ("run_news", RUN_NEWS), ("run_edition", RUN_EDITIONS)),
        intros=(
            "De {run} van {muni} {run_news}. Meer dan {n_big} deelnemers stonden {day_past} aan de "
            "start.",
            "Het was een sportief feest in {muni}: de {run} {run_news}. Lopers van alle leeftijden "
            "trokken door de straten van de gemeente.",
        ),
        bodies=(
            "Er waren afstanden van 5 en 10 kilometer en een kinderloop van 1 kilometer. Het "
            "parcours liep langs de {street} en door het gemeentepark.",
            "De opbrengst gaat naar een vereniging die zich inzet voor kinderen met een beperking. "
            "Er werd in totaal {small_amount} ingezameld.",
            "Bij de mannen won {p3} de 10 kilometer in een tijd van {minutes} minuten.",
        ),
        quotes=(
            "‘Het weer zat mee en de sfeer was fantastisch,’ zegt organisator {p2}.",
            "‘Ik loop hier elk jaar, het is een traditie geworden met mijn dochter,’ zegt "
            "deelnemer {p3}.",
        ),
        closings=("De uitslagen staan op de website van de organisatie.",),
        captions=("De start van de {run}.", "Lopers in de straten van {muni}."),
    ),
    _story(
        key="wielrennen",
        topic="Sport",
        tags=("wielrennen", "sport", "kermis"),
        titles=(
            "{race} in de {street_t} in {muni} {race_news}",
            "{muni}: {race_low} in de {street_t} {race_news}",
        ),
        title_vars=(("race", RACE_KINDS), ("race_news", RACE_NEWS), ("street_t", STREETS[:12])),
        intros=(
            "De {race_low} in {muni} {race_news}. Het parcours liep door het centrum, met start "
            "en aankomst in de {street_t}.",
            "Wielerliefhebbers kwamen {day_past} aan hun trekken in {muni}. De {race_low} "
            "{race_news}.",
        ),
        bodies=(
            "Er stonden {n} renners aan de start. Na een koers vol aanvallen kwam een kopgroep van "
            "vijf renners samen aan.",
            "De organisatie is in handen van de plaatselijke wielerclub, die er een volksfeest van "
            "maakt met een tent, een bar en muziek.",
            "Voor de jeugd was er een gratis fietsparcours met hulp van de verkeersouders.",
        ),
        quotes=(
            "‘Koers hoort bij onze kermis,’ zegt organisator {p2}. ‘Zolang er volk komt, gaan we "
            "door.’",
            "‘Ik heb het in de laatste ronde gewoon geprobeerd,’ zegt winnaar {p3}.",
        ),
        closings=("De volgende editie staat gepland voor volgend jaar.",),
        captions=("De renners in de {street_t}.",),
    ),
    _story(
        key="bedrijf",
        topic="Economie",
        tags=("economie", "tewerkstelling", "bedrijven"),
        titles=(
            "{company} in {muni} {company_news}: {jobs} nieuwe jobs",
            "{company} uit {muni} {company_news} en creëert {jobs} banen",
        ),
        title_vars=(
            ("company", COMPANY_KINDS),
            ("company_news", COMPANY_NEWS),
            ("jobs", ("15", "20", "30", "40", "50", "75", "100", "120")),
        ),
        intros=(
            "Een {company_low} in {muni} {company_news}. Het bedrijf maakte het nieuws {day_past} "
            "bekend aan het personeel.",
            "Goed nieuws voor de tewerkstelling in {muni}: een {company_low} op het "
            "bedrijventerrein "
            "aan de {street} {company_news}.",
        ),
        bodies=(
            "Het bedrijf werd {years} jaar geleden opgericht als familiebedrijf en groeide uit tot "
            "een "
            "speler met klanten in heel Europa.",
            "De investering bedraagt {amount}. Er komen nieuwe productielijnen en een "
            "kantoorgebouw met plaats voor {n} medewerkers.",
            "Het bedrijf zoekt vooral technisch personeel: operatoren, elektromechaniekers en "
            "chauffeurs. Er lopen samenwerkingen met scholen in de regio.",
        ),
        quotes=(
            "‘We geloven in deze regio,’ zegt zaakvoerder {p2}. ‘Onze mensen wonen hier, onze "
            "wortels liggen hier.’",
            "Schepen van Lokale Economie {p1} ({party}): ‘Dit is een sterk signaal voor onze "
            "gemeente.’",
        ),
        closings=("Kandidaten kunnen solliciteren via de website van het bedrijf.",),
        captions=("Zaakvoerder {p2} in de productiehal.", "Het bedrijf in {muni}."),
    ),
    _story(
        key="winkel",
        topic="Economie",
        tags=("handel", "winkels", "centrum"),
        titles=(
            "{shop} in de {street_t} in {muni} {shop_news}",
            "{muni}: {shop_low} {shop_news} in de {street_t}",
        ),
        title_vars=(("shop", SHOP_KINDS), ("shop_news", SHOP_NEWS), ("street_t", STREETS[:24])),
        intros=(
            "In de {street_t} in {muni} is er nieuws voor het winkelend publiek. Een {shop_low} "
            "{shop_news}.",
            "Een {shop_low} in {muni} {shop_news}. De zaak is al jaren een vertrouwd adres in de "
            "{street_t}.",
        ),
        bodies=(
            "Zaakvoerder {p3} begon de zaak {years} jaar geleden. Klanten komen van ver buiten "
            "{muni} voor het ruime aanbod en het persoonlijke advies.",
            "De winkel is open van dinsdag tot zaterdag. Op zondagvoormiddag is er een beperkte "
            "opening.",
            "De gemeente steunt nieuwe handelaars met een starterspremie van maximaal "
            "{small_amount}.",
        ),
        quotes=(
            "‘Een winkel is meer dan verkopen. Mensen komen hier ook voor een babbel,’ zegt {p3}.",
            "‘Elke nieuwe zaak maakt het centrum levendiger,’ zegt schepen {p1} ({party}).",
        ),
        closings=("De zaak is te volgen via sociale media.",),
        captions=("{p3} in de zaak in de {street_t}.",),
    ),
    _story(
        key="cafe",
        topic="Economie",
        tags=("horeca", "café", "ondernemers"),
        titles=(
            "Café {cafe} in de {street_t} in {muni} {cafe_news}",
            "{muni}: café {cafe} aan de {street_t} {cafe_news}",
        ),
        title_vars=(("cafe", CAFES), ("cafe_news", CAFE_NEWS), ("street_t", STREETS[:12])),
        intros=(
            "Het café {cafe} in {muni} {cafe_news}. Voor veel inwoners is het een plek vol "
            "herinneringen: hier werden huwelijksfeesten, begrafenismalen en kampioenstitels "
            "gevierd.",
            "Café {cafe} aan de {street_t} in {muni} {cafe_news}. Stamgasten zijn in hun nopjes: "
            "zonder het café zou de buurt een ontmoetingsplaats verliezen.",
        ),
        bodies=(
            "De nieuwe uitbaters, {p3} en {p2}, hebben heel wat ideeën. Ze willen de klassieke "
            "bruine kroeg behouden, maar er ook quizavonden, optredens en een koffie met crème "
            "op zondagochtend aan toevoegen.",
            "Op de kaart staan vooral bieren uit België, met een speciale plaats voor brouwerijen "
            "uit de Kempen. Er is ook een kleine kaart met croques, soep en pannenkoeken.",
            "Het café werd grondig gerenoveerd. De oude toog bleef behouden, net als de "
            "biljarttafel en de foto's van de duivenmelkers aan de muur.",
        ),
        quotes=(
            "‘Een café is het hart van een dorp. Dat mogen we niet laten verdwijnen,’ zegt {p3}.",
            "‘We zijn blij dat er opnieuw leven is op het plein,’ zegt buurtbewoner René "
            "{surname}.",
        ),
        closings=("Het café is open van woensdag tot zondag vanaf 10 uur.",),
        captions=("De nieuwe uitbaters van café {cafe}.", "De toog van het café."),
    ),
    _story(
        key="markt",
        topic="Economie",
        tags=("markt", "handel"),
        titles=(
            "De {market} in {muni} {market_news} vanaf {market_month}",
            "{muni}: {market} {market_news} vanaf {market_month}",
        ),
        title_vars=(("market", MARKETS), ("market_news", MARKET_NEWS), ("market_month", MONTHS_T)),
        intros=(
            "De {market} in {muni} {market_news}. Het schepencollege keurde het voorstel van de "
            "marktcommissie {day_past} goed.",
            "Er verandert iets voor de marktkramers in {muni}: de {market} {market_news}.",
        ),
        bodies=(
            "Op de markt staan vandaag een {n}-tal kramen, van groenten en fruit tot kaas, vis en "
            "kleding. Vooral op zaterdag komt er veel volk op af.",
            "Lokale producenten krijgen voorrang bij de toewijzing van nieuwe standplaatsen.",
            "Tijdens de markt is het plein verkeersvrij. Er wordt geparkeerd op de parking aan de "
            "{street}.",
        ),
        quotes=(
            "‘De markt is een ontmoetingsplek, niet alleen een plaats om te kopen,’ zegt "
            "marktleider {p2}.",
            "‘Ik sta hier al dertig jaar, elke week,’ vertelt groenteboer {p3}.",
        ),
        closings=COMMON_CLOSINGS,
        captions=("Marktkramers in {muni}.",),
    ),
    _story(
        key="erfgoed",
        topic="Erfgoed",
        tags=("erfgoed", "monument", "geschiedenis"),
        titles=(
            "{heritage_cap} in {muni} {heritage_news}",
            "{muni}: {heritage} {heritage_news} na jaren van verval",
            "Erfgoednieuws uit {muni}: {heritage} {heritage_news}",
        ),
        title_vars=(("heritage", HERITAGE), ("heritage_news", HERITAGE_NEWS)),
        intros=(
            "{heritage_cap} in {muni} {heritage_news}. Het gebouw is een van de oudste van de "
            "gemeente en dateert grotendeels uit de achttiende eeuw.",
            "Goed nieuws voor erfgoedliefhebbers in {muni}: {heritage} {heritage_news}. Het "
            "agentschap Onroerend Erfgoed gaf {day_past} zijn fiat.",
        ),
        bodies=(
            "De restauratie kost ongeveer {amount}. De Vlaamse overheid draagt het grootste deel "
            "via een erfgoedpremie; de gemeente en de kerkfabriek betalen de rest.",
            "Het dak, het metselwerk en de glasramen worden hersteld. Bij voorafgaand onderzoek "
            "werden oude muurschilderingen teruggevonden.",
            "Na de werken krijgt het gebouw een nieuwe functie als ontmoetingsplaats voor "
            "verenigingen en kleine concerten.",
            "De heemkundige kring verzamelde oude foto's en verhalen over het gebouw. Die worden "
            "gebundeld in een boek dat bij de heropening verschijnt.",
        ),
        quotes=(
            "‘Dit gebouw vertelt het verhaal van onze gemeente,’ zegt schepen van Erfgoed {p1} "
            "({party}).",
            "‘Als kind speelde ik hier rond. Het doet deugd dat het gered wordt,’ zegt {p3} van de "
            "heemkundige kring.",
        ),
        closings=(
            "Tijdens Open Monumentendag op {date_future} kunnen bezoekers een kijkje nemen.",
            "De werken duren naar schatting twee jaar.",
        ),
        captions=("{heritage_cap} in {muni}.", "Een detail van de gevel."),
    ),
    _story(
        key="archeologie",
        topic="Erfgoed",
        tags=("archeologie", "erfgoed", "geschiedenis"),
        titles=(
            "Archeologen vinden {find} {find_site} {street_t} in {muni}",
            "{find_cap} gevonden {find_site} {street_t} in {muni}",
        ),
        title_vars=(("find", FINDS), ("find_site", FIND_SITES), ("street_t", STREETS[:20])),
        intros=(
            "Bij graafwerken in {muni} hebben archeologen een opmerkelijke ontdekking gedaan: "
            "{find}. De vondst gebeurde {find_site} {street_t}.",
            "In de {street_t} in {muni} stootten archeologen op {find}. Het onderzoek was "
            "verplicht "
            "voor de start van een bouwproject.",
        ),
        bodies=(
            "Volgens de archeologen bevestigt de vondst dat er al vroeg bewoning was op deze plek. "
            "De stukken worden verder onderzocht en gedateerd.",
            "De bouwwerken lopen enkele weken vertraging op. De bouwheer toont begrip: het "
            "onderzoek "
            "was ingepland in de planning.",
            "De gemeente wil de vondsten later tonen in een kleine tentoonstelling.",
        ),
        quotes=("‘Zo'n vondst doe je maar een paar keer in je carrière,’ zegt archeoloog {p2}.",),
        closings=("Op {date_future} is er een kijkdag voor het publiek.",),
        captions=("Archeologen aan het werk in {muni}.",),
    ),
    _story(
        key="vereniging",
        topic="Samenleving",
        tags=("vereniging", "vrijwilligers"),
        titles=(
            "{assoc_t} {muni} met {members} leden {assoc_news}",
            "{muni}: {assoc_t} {assoc_news} met {members} leden",
        ),
        title_vars=(
            (
                "assoc_t",
                (
                    "Davidsfonds",
                    "Femma",
                    "Okra",
                    "KWB",
                    "Landelijke Gilde",
                    "Markant",
                    "Gezinsbond",
                    "Harmonie Sint-Cecilia",
                    "Fanfare De Eendracht",
                    "Heemkundige kring",
                    "Natuurpunt",
                    "Vief",
                ),
            ),
            ("assoc_news", ASSOC_NEWS),
            ("members", ("40", "60", "85", "120", "150", "200")),
        ),
        intros=(
            "{assoc_t} {muni} {assoc_news}. De vereniging is al {years} jaar een vaste waarde in "
            "het dorpsleven.",
            "Bij {assoc_t} in {muni} is er reden tot feest: de vereniging {assoc_news}. Dat werd "
            "{day_past} gevierd in de parochiezaal.",
        ),
        bodies=(
            "De vereniging organiseert elk jaar voordrachten, uitstappen en een eetfestijn. Het "
            "aantal leden blijft stabiel, maar de vrijwilligers worden ouder.",
            "Voorzitter {p2} doet al {n_word} jaar het secretariaat. Samen met een kern van een "
            "tiental vrijwilligers houdt {p2} de werking draaiende.",
            "Op het programma staat onder meer een wandeling, een bezoek aan een brouwerij en een "
            "kookworkshop.",
        ),
        quotes=(
            "‘We zijn een warme groep, iedereen is welkom,’ zegt voorzitter {p2}.",
            "‘Zonder verenigingen zou een gemeente veel armer zijn,’ zegt burgemeester {p1} "
            "({party}).",
        ),
        closings=("Wie lid wil worden, kan contact opnemen met het secretariaat.",),
        captions=("De leden van {assoc_t} {muni}.",),
    ),
    _story(
        key="buurtfeest",
        topic="Samenleving",
        tags=("buurt", "feest", "samenleven"),
        titles=(
            "{neigh_event} in de {street_t} in {muni} {event_news}",
            "{muni}: {neigh_event_low} {event_news} in de {street_t}",
        ),
        title_vars=(
            ("neigh_event", NEIGHBOURHOOD_EVENTS),
            ("event_news", EVENT_NEWS),
            ("street_t", STREETS),
        ),
        intros=(
            "De bewoners van de {street_t} in {muni} organiseerden {day_past} een "
            "{neigh_event_low}. Het initiatief {event_news}.",
            "In de {street_t} in {muni} was het feest. De jaarlijkse afspraak, een "
            "{neigh_event_low}, {event_news}.",
        ),
        bodies=(
            "De straat werd afgesloten en er stonden tafels, een springkasteel en een barbecue. "
            "Iedereen bracht iets mee: salades, taarten, een vat bier.",
            "Het buurtcomité kreeg een subsidie van de gemeente via het project ‘Buren bij "
            "elkaar’. "
            "Per straat kan tot {n_big} euro worden aangevraagd.",
            "Ook nieuwe bewoners leerden zo hun buren kennen. Er werd een WhatsApp-groep opgericht "
            "om elkaar te helpen.",
        ),
        quotes=(
            "‘Vroeger kende je iedereen in de straat. Dat gevoel willen we terug,’ zegt "
            "organisator {p3}.",
        ),
        closings=(
            "Wie in zijn straat een feest wil organiseren, kan terecht bij de dienst evenementen.",
        ),
        captions=("Buren aan tafel in de {street_t}.",),
    ),
    _story(
        key="jeugdbeweging",
        topic="Samenleving",
        tags=("jeugdbeweging", "jeugd"),
        titles=(
            "{youth} {youth_group} {muni} {youth_news}",
            "Leden van {youth} {youth_group} in {muni} {youth_news}",
        ),
        title_vars=(
            ("youth", ("Chiro", "Scouts", "KLJ", "KSA", "Gidsen", "Jeugdhuis")),
            (
                "youth_group",
                (
                    "Sint-Jan",
                    "Sint-Michiel",
                    "De Kievit",
                    "Sint-Ludgardis",
                    "Ter Heide",
                    "De Klimop",
                ),
            ),
            ("youth_news", YOUTH_NEWS),
        ),
        intros=(
            "De leiding en de leden van {youth} {youth_group} in {muni} {youth_news}. Het werd een "
            "dag om niet te vergeten.",
            "Bij {youth} {youth_group} in {muni} zitten ze niet stil. De jongeren {youth_news}.",
        ),
        bodies=(
            "De jeugdbeweging telt {n_big} leden en {n} leiding. Elke zondagnamiddag is er "
            "activiteit.",
            "Het lokaal aan de {street} is dringend aan vernieuwing toe. De gemeente en de ouders "
            "helpen mee om de nodige middelen te vinden.",
            "De opbrengst van de acties gaat naar materiaal voor het kamp en naar tenten.",
        ),
        quotes=(
            "‘We willen dat elk kind hier zich thuis voelt,’ zegt hoofdleider {p3}.",
            "‘De jeugd is de toekomst van onze gemeente,’ zegt schepen van Jeugd {p1} ({party}).",
        ),
        closings=("Nieuwe leden zijn altijd welkom; inschrijven kan via de website.",),
        captions=("Leden van {youth} {youth_group}.",),
    ),
    _story(
        key="bomen",
        topic="Samenleving",
        tags=("natuur", "klimaat", "groen"),
        titles=(
            "Vrijwilligers planten {n_trees_low} {trees} {nature_place} {street_t} in {muni}",
            "{n_trees} nieuwe {trees} {nature_place} {street_t} in {muni}",
        ),
        title_vars=(
            ("trees", TREES),
            ("nature_place", NATURE_PLACES),
            ("street_t", STREETS[:16]),
            ("n_trees", ("Vijftig", "Honderd", "Tweehonderd")),
        ),
        intros=(
            "In {muni} zijn {day_past} nieuwe {trees} geplant {nature_place} {street_t}. De actie "
            "kadert in het klimaatplan van de gemeente.",
            "Met schop en gieter trokken inwoners van {muni} {day_past} naar de {street_t}. Ze "
            "plantten er {trees}.",
        ),
        bodies=(
            "De gemeente wil tegen {next_year} duizenden nieuwe bomen planten. Bomen zorgen voor "
            "schaduw, houden water vast en geven vogels en insecten een plek.",
            "Natuurpunt en de milieuraad hielpen bij de keuze van de soorten. Er werd gekozen voor "
            "inheemse bomen die goed bestand zijn tegen droogte.",
            "Leerlingen van {school} zullen de bomen de komende jaren mee verzorgen.",
        ),
        quotes=(
            "‘Wie vandaag een boom plant, denkt aan de volgende generatie,’ zegt schepen van "
            "Milieu {p1} ({party}).",
            "‘Het is fijn om zelf iets te doen voor het klimaat,’ zegt vrijwilliger {p3}.",
        ),
        closings=("Inwoners kunnen ook zelf een gratis boom aanvragen via de milieudienst.",),
        captions=("Vrijwilligers aan het werk in {muni}.",),
    ),
    _story(
        key="zwerfvuil",
        topic="Samenleving",
        tags=("zwerfvuil", "milieu", "netheid"),
        titles=(
            "{cleanup} in de {street_t} in {muni}",
            "{muni}: {cleanup_low} rond de {street_t}",
        ),
        title_vars=(("cleanup", CLEANUP_NEWS), ("street_t", STREETS)),
        intros=(
            "Zwerfvuil blijft een ergernis in {muni}. In de buurt van de {street_t} kwam het "
            "{day_past} opnieuw in het nieuws.",
            "In {muni} wordt het zwerfvuil actief aangepakt. In de {street_t} liep {day_past} een "
            "actie.",
        ),
        bodies=(
            "Vrijwilligers verzamelden op één voormiddag meer dan {n} zakken afval, van blikjes "
            "tot "
            "bouwpuin en autobanden.",
            "De gemeente plaatst op bekende hotspots camera's om sluikstorters te betrappen. Een "
            "GAS-boete kan oplopen tot {n_big} euro.",
            "Intussen zijn er in de gemeente al {n} peters en meters van de straat actief.",
        ),
        quotes=(
            "‘Het is frustrerend, maar we geven niet op,’ zegt vrijwilliger {p3}.",
            "‘Wie afval achterlaat, betaalt. Daar zijn we duidelijk in,’ zegt schepen {p1} "
            "({party}).",
        ),
        closings=("Sluikstort melden kan via de website of de app van de gemeente.",),
        captions=("Opgehaald zwerfvuil in de {street_t}.",),
    ),
    _story(
        key="zorg",
        topic="Samenleving",
        tags=("zorg", "senioren", "welzijn"),
        titles=(
            "{care_home} {muni} {care_news} {care_extra}",
            "{muni}: {care_home_low} {care_news} {care_extra}",
        ),
        title_vars=(
            ("care_home", CARE_HOMES),
            ("care_news", CARE_NEWS),
            ("care_extra", CARE_EXTRAS),
        ),
        intros=(
            "In {muni} is er goed nieuws voor de senioren. Het woonzorgcentrum en het lokaal "
            "dienstencentrum zetten een nieuwe stap.",
            "Bewoners en personeel van het woonzorgcentrum in {muni} hadden {day_past} reden tot "
            "feest.",
        ),
        bodies=(
            "Het woonzorgcentrum telt {n_big} bewoners en een honderdtal personeelsleden. De "
            "wachtlijst blijft lang.",
            "Vrijwilligers zijn onmisbaar: ze begeleiden wandelingen, helpen bij de maaltijden en "
            "organiseren activiteiten.",
            "Het project werd mogelijk gemaakt door een gift van een lokale serviceclub.",
        ),
        quotes=(
            "‘Ouderen moeten zich hier thuis voelen,’ zegt directeur {p2}.",
            "‘Het is hier goed wonen, iedereen is vriendelijk,’ zegt bewoonster {p3} ({age_old}).",
        ),
        closings=("Wie vrijwilliger wil worden, kan contact opnemen met het woonzorgcentrum.",),
        captions=("Bewoners van het woonzorgcentrum in {muni}.",),
    ),
    _story(
        key="wonen",
        topic="Samenleving",
        tags=("wonen", "huisvesting"),
        titles=(
            "{n_houses} {housing} in de {street_t} in {muni}",
            "{muni} bouwt {n_houses_low} {housing} aan de {street_t}",
        ),
        title_vars=(
            ("housing", HOUSING_KINDS),
            ("street_t", STREETS[:30]),
            ("n_houses", ("Twaalf", "Twintig", "Vierentwintig", "Dertig")),
        ),
        intros=(
            "In de {street_t} in {muni} komen {housing}. De bouwvergunning werd {day_past} "
            "afgeleverd.",
            "De woonmaatschappij start in {muni} met de bouw van {housing} aan de {street_t}.",
        ),
        bodies=(
            "De vraag naar betaalbare woningen in {muni} is groot. De wachtlijst telt meer dan "
            "{n_big} kandidaten.",
            "Het project omvat ook een gemeenschappelijke tuin en een fietsenberging. De woningen "
            "zijn zeer energiezuinig.",
            "De bouw kost ongeveer {amount}. De oplevering is voorzien in {next_year}.",
        ),
        quotes=(
            "‘Wonen is een basisrecht,’ zegt schepen van Wonen {p1} ({party}).",
            "‘We willen dat jonge gezinnen in {muni} kunnen blijven wonen,’ zegt burgemeester {p2} "
            "({party}).",
        ),
        closings=("Inschrijven voor een woning kan bij de woonmaatschappij.",),
        captions=("Een simulatiebeeld van het project aan de {street_t}.",),
    ),
    _story(
        key="kinderopvang",
        topic="Samenleving",
        tags=("kinderopvang", "gezin", "jeugd"),
        titles=(
            "{childcare} in {muni} {childcare_news} vanaf {market_month}",
            "{muni}: {childcare_low} {childcare_news} vanaf {market_month}",
        ),
        title_vars=(
            ("childcare", CHILDCARE_NEWS),
            (
                "childcare_news",
                (
                    "opent de deuren",
                    "breidt uit",
                    "zoekt begeleiders",
                    "verhuist",
                    "krijgt nieuw lokaal",
                ),
            ),
            ("market_month", MONTHS_T),
        ),
        intros=(
            "Ouders in {muni} krijgen meer mogelijkheden: de {childcare_low} {childcare_news}.",
            "In {muni} is er nieuws over de kinderopvang. De {childcare_low} {childcare_news}, zo "
            "besliste het schepencollege.",
        ),
        bodies=(
            "Er komen {n} extra plaatsen bij. De vraag naar opvang is de voorbije jaren sterk "
            "gestegen.",
            "De opvang werkt met inkomensgerelateerde tarieven, zodat ze betaalbaar blijft voor "
            "alle gezinnen.",
            "Het team bestaat uit gediplomeerde begeleiders en wordt aangevuld met jobstudenten "
            "tijdens de vakanties.",
        ),
        quotes=(
            "‘Elk kind verdient een warme opvang,’ zegt schepen {p1} ({party}).",
            "‘Voor werkende ouders is dit een enorme hulp,’ zegt mama {p3}.",
        ),
        closings=("Inschrijven kan via het loket kinderopvang van {muni}.",),
        captions=("Kinderen in de opvang in {muni}.",),
    ),
)
