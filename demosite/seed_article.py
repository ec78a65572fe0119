"""The one article of the demo site copied from the real site, kept exactly as published."""

from __future__ import annotations

SEED_TITLE = "Vier organisaties uit onze provincie zitten in Wij-Zij-netwerk tegen polarisatie"
SEED_DATELINE = "MECHELEN"
SEED_PLACE = "Mechelen"
SEED_AUTHOR = ("Edwin", "Mariën")
SEED_SIGNATURE = "Edwin MARIËN"
SEED_REGION = "Mechelen"
SEED_TAGS = ("Mechelen", "polarisatie", "Kazerne Dossin", "radicalisering")
SEED_CAPTION = (
    "Vlaams minister Bart Somers stelde het vernieuwde Wij-Zij-Netwerk voor in Kazerne Dossin."
)
# Local publication date and time (Europe/Brussels).
SEED_DATE = (2024, 6, 20)
SEED_TIME = (9, 14)
SEED_MODIFIED_TIME = (9, 31)

# The body paragraphs as a correct extraction gives them: without the dateline and the
# signature, with the published spacing (non-breaking spaces included) left untouched.
SEED_PARAGRAPHS: tuple[str, ...] = (
    (
        "Vandaag stelde Bart Somers (Open Vld, zie foto), Vlaams minister van samenleven, het "
        "vernieuwde Wij-Zij-Netwerk voor in de Mechelse Dossin Kazerne. Dit netwerk \xa0brengt "
        "\xa0verschillende partners\xa0 samen, bundelt expertisen, en doet concrete "
        "beleidsaanbevelingen om gewelddadige radicalisering en extremisme te voorkomen."
    ),
    (
        "Vier \xa0van de actieve leden zijn gevestigd in onze provincie. Kazerne Dossin wil zich "
        "naar lerende doelgroepen (scholen, jongeren, politie, magistraten, ambtenaren, "
        "journalisten,…) meer profileren als kenniscentrum dat zijn expertise over "
        "historische en actuele maatschappelijke processen zoals cumulatieve radicalisering "
        "en polarisering vertaalt naar concrete acties om mee aan de slag te gaan binnen "
        "leeromgevingen. Het Koninklijk Atheneum van Antwerpen is een GO!school. Directrice "
        "Karin Heremans – leidster van de werkgroep Onderwijs van het Radicalisation "
        "Awareness Network van de EU – trekt met haar team ten volle de kaart van "
        "depolarisatie in de dagelijkse schoolpraktijk. Het Hannah Arendt Instituut , met "
        "hoofdzetel in Mechelen, is een samenwerkingsverband tussen UA, VUB en de stad "
        "Mechelen. Het wil \xa0de samenleving versterken door wetenschappelijke kennis te "
        "verbinden met inzichten en ervaringen van beleidsmakers, organisaties en burgers. De "
        "stad Mechelen tenslotte is ondertussen een model voor andere centrumsteden in "
        "Vlaanderen en daarbuiten en wil blijven investeren in de aanpak van polarisering en "
        "radicalisering."
    ),
    (
        "Andere partners zijn Democratische Dialoog (van de Erasmushogeschool Brussel), "
        "Vlaams Vredesinstituut, Bijzonder Comité voor Herinneringseducatie, Vereniging van "
        "Vlaamse Steden en Gemeenten, Universiteit Gent, Fonds Aurore Ruyffelaere, Katholiek "
        "\xa0Onderwijs Vlaanderen, de geïntegreerde politie en Agentschap Integratie en "
        "Inburgering."
    ),
    (
        "Somers: ‘We staan hier op een beladen plek en dat net vijf jaar na de aanslagen in "
        "Zaventem en Maalbeek. Iedereen weet\xa0 nog waar hij op dat moment was. Ook dit museum "
        "is gebouwd als herinnering aan datgene waartoe extremisme kan leiden. Vanuit "
        "Mechelen werden 25 000 Joden en zigeuners overgebracht naar concentratiekampen. Die "
        "daders handelden eveneens uit een haat-nijd-ideologie, net als vijf jaar geleden. Na "
        "2016 is de politiestructuur hervormd en op Vlaams vlak werden er heel wat stappen "
        "gezet in verband met preventie. Jaak Raes, directeur van de staatsveiligheid, zei "
        "ooit dat je een radicalist verschrikkelijk moeilijk kan deradicaliseren. \xa0Daarom is "
        "het veel nuttiger om tijd en energie te steken in preventie.’"
    ),
    (
        "‘We geven nu al anderhalf miljoen euro aan de lokale besturen om radicalisering te "
        "voorkomen. We zorgden ervoor dat het beroepsgeheim dat geldt voor onderwijzers, "
        "psychologen, politieagenten, preventiewerkers,… wordt opgeheven wanneer ze in met "
        "elkaar over een bepaalde casus spreken. In 2018 werden één op vijf lokale besturen "
        "geconfronteerd met extreem extremisme, twee jaar later was dat al één op drie. "
        "Daarom is dit Wij-Zij-Nerkwerk zo belangrijk. Sinds 1 april 2019 organiseerden zij "
        "al 56 workshops met meer dan 1 000 deelnemers, die de boodschap moeten doorgeven.’"
    ),
    (
        "‘Gedurende de volgende twee jaar investeren wij alvast telkens 104 200 euro \xa0om het "
        "netwerk zichtbaar te maken. Het Wij-Zij-Netwerk heeft niet alleen een preventieve "
        "maar ook een curatieve rol, denk aan het volgen van een verplichte cursus na een "
        "incident of bij escalerende probleemsituaties.’"
    ),
)
