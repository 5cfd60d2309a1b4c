"""Demo toolkits of CITIES-GROW: one per scheme, with good practices drawn from the 18 Interreg
projects of Interact's 2020 publication on migration (../shared/seeds/
interreg-migration-projects-2020.txt). Names, places and figures are the source's, checked one by
one; every sentence is our own.

How the source was checked, once for all projects:
- Budgets are printed with spaces as thousands separators ("169 956 €"); they are loaded as
  Decimal euros. Every EU contribution is below its total budget (see each entry).
- The partner count printed beside each list was compared with the list and with the text.
- Page furniture mixed into the lists ("P. 06", "LINK", "involved areas", the "Project on Keep"
  and "Project webpage" labels, bullet points without text) was left out.
- The source gives no web address for any project, only "LINK" placeholders: links stay empty.
  It names no contact person for any project: contacts stay empty.
- Partner lines keep the source's country codes (UK, not GB) and put the lead partner first.
- The source gives the programming period (Interreg 2014-2020) and, for a few projects, years.
  Where it gives nothing else a practice runs over the whole period (PERIOD); where it says the
  project was still running in 2020, the end is left empty.

``seed_demo_toolkits()`` is called by the seed_demo command once the programme, its schemes and
its people exist. It writes through toolkits.services as officers and experts would: each lead
partner's city writes its practice, the scheme's expert publishes it and builds the toolkit,
and publishing makes edition 1. PDFs are not rendered here: the first download renders them.
The practices were written in the first half of 2018, a week apart, and the toolkits came out
before the final meeting of September 2018 (``WRITTEN``, ``PUBLISHED``): each step is taken
through the services, then its stamps are moved to that day (accounts.demo.dated); an edition's
date is given to the service, since its checksum covers it.
Anything that exists already is left as it is, so running it again changes nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress

from accounts.demo import DemoStep, dated, demo_at, demo_password_hash, register
from accounts.models import Membership, Role, User
from cities.models import City
from config.slugs import slug_from
from mentoring.models import Commitment, Programme, Scheme

from . import services
from .demo_agir import seed_agir_toolkits
from .models import GoodPractice, PracticeReview, PracticeStatus, TargetGroup, Toolkit


class Audience:
    """CITIES-GROW's target groups, by the names its list gives them."""

    NEWCOMERS = "Newly arrived migrants"
    REFUGEES = "Refugees and asylum seekers"
    MINORS = "Unaccompanied minors"
    YOUTH = "Young people with a migrant background"
    WOMEN = "Migrant women"
    ENTREPRENEURS = "Migrant entrepreneurs"
    JOB_SEEKERS = "Job seekers"
    LABOUR_MIGRANTS = "Labour migrants"
    EMPLOYERS = "Employers and businesses"
    SCHOOLS = "Schools and teachers"
    CITY_STAFF = "City staff and public services"
    RESIDENTS = "Local residents"


TARGET_GROUPS = [
    Audience.NEWCOMERS,
    Audience.REFUGEES,
    Audience.MINORS,
    Audience.YOUTH,
    Audience.WOMEN,
    Audience.ENTREPRENEURS,
    Audience.JOB_SEEKERS,
    Audience.LABOUR_MIGRANTS,
    Audience.EMPLOYERS,
    Audience.SCHOOLS,
    Audience.CITY_STAFF,
    Audience.RESIDENTS,
]

# The Interreg programming period, used where the source gives no dates of its own.
PERIOD = (date(2014, 1, 1), date(2020, 12, 31))
STILL_RUNNING = None

# Lead partners' cities that are not CITIES-GROW cities: name, ISO country, latitude, longitude,
# main languages. They get a demo officer to write their practice but do not join the programme.
CITIES = [
    ("Alberschwende", "AT", "47.4500", "9.8333", ["de"]),
    ("Bellinzona", "CH", "46.1944", "9.0222", ["it"]),
    ("Bolzano", "IT", "46.4983", "11.3548", ["it", "de"]),
    ("Budapest", "HU", "47.4979", "19.0402", ["hu"]),
    ("Kotka", "FI", "60.4664", "26.9458", ["fi"]),
    ("Leipzig", "DE", "51.3397", "12.3731", ["de"]),
    ("Ljubljana", "SI", "46.0569", "14.5058", ["sl"]),
    ("London", "GB", "51.5072", "-0.1276", ["en"]),
    ("Milan", "IT", "45.4642", "9.1900", ["it"]),
    ("Nova Gorica", "SI", "45.9559", "13.6481", ["sl"]),
    ("Piraeus", "GR", "37.9420", "23.6465", ["el"]),
    ("Plzeň", "CZ", "49.7475", "13.3776", ["cs"]),
    ("Tallinn", "EE", "59.4370", "24.7536", ["et"]),
    ("Turku", "FI", "60.4518", "22.2666", ["fi", "sv"]),
    ("Venice", "IT", "45.4408", "12.3155", ["it"]),
]

# Demo logins made here (officers of the cities above, experts of schemes B to D) live under
# this domain and are not printed by seed_demo.
DEMO_DOMAIN = "demo.tandem.eu"

# key: project acronym; city: (name, ISO country) of the lead partner's city.
PRACTICES = [
    # Scheme A: matching buyers and suppliers ------------------------------------------------
    {
        "key": "SEE ME IN",
        "scheme": "A",
        "city": ("Milan", "IT"),
        "title": "Bringing migrant-run food, fashion and craft businesses into mainstream markets",
        # source: 10 partners, 10 listed, "the 10 partners" in the text.
        "partners": [
            "Fondazione Politecnico di Milano (lead partner), IT",
            "Association Social Economy Slovenia – social company, SI",
            "ACT Group, HR",
            "Municipality of Nova Gorica, SI",
            "Municipality of Milan, IT",
            "Budapest Chamber of Commerce and Industry, HU",
            "Aiforia GmbH, DE",
            "Cooperative Group CGM, IT",
            "School of Advanced Social Studies in Nova Gorica, SI",
            "West Pannon Regional and Economic Development Public Non-Profit Ltd., HU",
        ],
        "summary": (
            "Ten partners from Italy, Slovenia, Croatia, Hungary and Germany, led by Fondazione "
            "Politecnico di Milano, improve the support given to businesses that non-EU "
            "migrants run in food, fashion and crafts. A shared framework, networks between "
            "public authorities and business bodies and an online platform in the making are "
            "meant to make these firms visible to customers and to other companies, in local "
            "markets, on high streets and abroad."
        ),
        "challenge": (
            "Migrant entrepreneurs bring new products and jobs to a city, but cultural, legal "
            "and language barriers slow them down, and the business support on offer did not "
            "reach them. Their firms often stay invisible to customers and to the established "
            "companies that could buy from them or work with them."
        ),
        "actions": (
            "- Defined who the work is for: non-EU nationals entitled to live in the EU who run, "
            "or want to start, a business in food, fashion or crafts.\n"
            "- Assessed what these enterprises need and whether existing tools serve them, "
            "region by region: Italy and Hungary have many migrant-run firms, Slovenia and "
            "Croatia few.\n"
            "- Agreed a transnational framework with guidelines and actions fitted to each "
            "sector and region.\n"
            "- Built networks between public authorities and stakeholders such as the Budapest "
            "Chamber of Commerce and Industry, so that migrant businesses have a place in "
            "economic policy.\n"
            "- Planned a modular online platform with support, marketing and communication "
            "tools and management training, and exchanges between migrant and established "
            "businesses."
        ),
        "results": (
            "The transnational framework is agreed and the networks between authorities and "
            "business stakeholders work. The platform was still being built in 2020; the "
            "project runs under the Interreg Central Europe Programme."
        ),
        "resources": (
            "Ten partners, among them the municipalities of Milan and Nova Gorica, a chamber of "
            "commerce, social economy organisations, a regional development agency and a "
            "technology firm. Total budget €2,126,052, of which €1,751,142 from the EU."
        ),
        "budget": Decimal("2126052"),
        "eu_contribution": Decimal("1751142"),
        # The source says the project was still in progress in 2020.
        "period": (PERIOD[0], STILL_RUNNING),
        "transferability": (
            "A city can reuse the sector-by-sector needs assessment and bring migrant-run "
            "firms to the attention of buyers through its chamber of commerce, its markets and "
            "its own purchasing: list them by sector first, then invite them to meet-the-buyer "
            "days."
        ),
        "target_groups": [Audience.ENTREPRENEURS, Audience.EMPLOYERS, Audience.CITY_STAFF],
        "commitments": [4, 10, 11],
    },
    {
        # Fits A: it opened the cities' markets, venues and business networks to migrant firms;
        # C (services for migrant entrepreneurs) would be the second choice.
        "key": "URBAN DIVERSITY",
        "scheme": "A",
        "city": ("Ljubljana", "SI"),
        "title": "Opening city venues, pitching stages and creative vouchers to migrant "
        "entrepreneurs in Ljubljana and Graz",
        # source: 4 partners, 4 listed. The lead's line gives its Slovene name, its English
        # name, "(Lead partner)" and its acronym in one run; kept as one line.
        "partners": [
            "Znanstvenoraziskovalni center Slovenske akademije znanosti in umetnosti (Research "
            "Centre of the Slovenian Academy of Sciences and Arts), ZRC SAZU (lead partner), SI",
            "Regional Development Agency of the Ljubljana Urban Region, SI",
            "Abteilung für Wirtschafts- und Tourismusentwicklung der Stadt Graz (Department for "
            "Development of Economy and Tourism of the City of Graz), AWTSG, AT",
            "Land Steiermark, Abteilung 10, Bildungshaus Schloss St. Martin, AT",
        ],
        "summary": (
            "The Research Centre of the Slovenian Academy of Sciences and Arts led four "
            "partners from Ljubljana and Graz in connecting migrant entrepreneurs with the "
            "places and people that help a business grow. Co-working spaces, technology parks, "
            "galleries, streets and municipal halls were opened to established migrant "
            "entrepreneurs and to refugees thinking of starting a business."
        ),
        "challenge": (
            "New migrant communities were arriving in both cities, but migrant entrepreneurs "
            "had little access to the networks, venues and customers that local firms rely "
            "on, and city officials knew little about their situation."
        ),
        "actions": (
            "- Brought schools and universities, the two city administrations, researchers "
            "and regional bodies into one network with NGOs and grassroots groups.\n"
            "- Trained officials of both cities on migrant entrepreneurship.\n"
            "- Organised pitching in co-working spaces, diversity study tours and creative "
            "vouchers for young migrants working on business ideas.\n"
            "- Brought migrant entrepreneurs into Design Month events and started initiatives "
            "for migrant and local entrepreneurs on Trubarjeva Street in Ljubljana and on "
            "Griesplatz in Graz.\n"
            "- Held creative workshops for entrepreneurs and their families at Schloss St. "
            "Martin in Graz and wrote guidelines on opening and running a business."
        ),
        "results": (
            "Migrant entrepreneurs are more present in the cities' business hubs, and "
            "entrepreneurs and families came to the Schloss St. Martin workshops steadily. "
            "The officials in charge of supporting migrant entrepreneurship know more about "
            "it, and the partners went on working together after the project closed."
        ),
        "resources": (
            "Four partners: the research centre and Ljubljana's regional development agency, "
            "the City of Graz's department for economic and tourism development and an adult "
            "education centre of the Land of Styria. Total budget €839,934, of which €713,944 "
            "from the EU."
        ),
        "budget": Decimal("839934"),
        "eu_contribution": Decimal("713944"),
        # The source dates only the partners' first talks (2016), not the project.
        "period": PERIOD,
        "transferability": (
            "An economic development department can do the same with what it already runs: "
            "open its venues, design weeks, markets and co-working spaces to migrant "
            "entrepreneurs and give them the chance to pitch to local firms and buyers."
        ),
        "target_groups": [
            Audience.ENTREPRENEURS,
            Audience.YOUTH,
            Audience.REFUGEES,
            Audience.CITY_STAFF,
        ],
        "commitments": [4, 8, 11],
    },
    {
        # BEGIN is about inclusive employment in social enterprises. It fits A best because
        # those enterprises are built to sell environmental services, much of it to public
        # bodies, which widens the supplier base (commitment 11); D would be the second choice.
        "key": "BEGIN",
        "scheme": "A",
        "city": ("Nova Gorica", "SI"),
        "title": "Inclusive social enterprises as suppliers of environmental services",
        # source: 9 partners, 9 listed. The lead's name is cut after "Nova" by a line break:
        # the agency is the Regional Development Agency of Northern Primorska Ltd. Nova Gorica.
        # "Cacak" and "Gradiska" are written in their native spelling.
        "partners": [
            "Regional Development Agency of Northern Primorska Ltd. Nova Gorica (lead partner), SI",
            "Consorzio Emmanuel Società Cooperativa Sociale Onlus, IT",
            "Consorzio Sol.Co. Rete di Imprese Sociali Siciliane, IT",
            "Public Company of Social Services to the Person of the Romagna Faentina, IT",
            "City of Labin, HR",
            "Municipality of Herceg Novi, ME",
            "City of Čačak, RS",
            "City of Gradiška, BA",
            "European Institute for Local Development, GR",
        ],
        "summary": (
            "Led from Nova Gorica, partners in Italy, Slovenia, Croatia, Bosnia and "
            "Herzegovina, Serbia and Montenegro help new social enterprises start in the "
            "environmental sector. Their workforce is meant to be mostly people with "
            "disabilities and people from migrant or disadvantaged backgrounds, so that the "
            "services a town buys can come from firms that include those most often left out."
        ),
        "challenge": (
            "People with disabilities and people from migrant or disadvantaged backgrounds are "
            "a small minority in most workplaces, and few businesses are built around them. "
            "The partners lacked shared models for social enterprises that are both inclusive "
            "and viable."
        ),
        "actions": (
            "- Defined at least two social business models in every partner country, aiming "
            "at three workers with disabilities for each worker without.\n"
            "- Pooled the know-how of development agencies, town halls, the third sector and "
            "specialists in social business models.\n"
            "- Wrote local action plans to help social economy and social inclusion "
            "enterprises get started."
        ),
        "results": (
            "At least two social business models per partner country and a local action plan "
            "in each territory. The partners propose that follow-up work also involves "
            "for-profit companies."
        ),
        "resources": (
            "Nine partners: a regional development agency, two social cooperative consortia, "
            "a public social services company, four municipalities in Croatia, Montenegro, "
            "Serbia and Bosnia and Herzegovina, and a Greek institute for local development. "
            "Total budget €1,150,200, of which €926,246 from the EU."
        ),
        "budget": Decimal("1150200"),
        "eu_contribution": Decimal("926246"),
        # Still under way in the source ("is supporting", "is working towards").
        "period": (PERIOD[0], STILL_RUNNING),
        "transferability": (
            "A city can list the environmental services it buys (care of green spaces, "
            "recycling, cleaning) and set aside lots or contracts for social enterprises that "
            "meet an inclusion target. It needs a development agency or a consortium of "
            "cooperatives to coach the enterprises, and buyers ready to use social clauses."
        ),
        "target_groups": [
            Audience.ENTREPRENEURS,
            Audience.JOB_SEEKERS,
            Audience.EMPLOYERS,
            Audience.CITY_STAFF,
        ],
        "commitments": [6, 9, 11],
    },
    # Scheme B: job-skills match of youth --------------------------------------------------
    {
        "key": "YOUMIG",
        "scheme": "B",
        "city": ("Budapest", "HU"),
        "title": "Local data on youth migration and a pilot action in each of seven Danube cities",
        # source: the text says 19 partners, the count beside the list says 16 and the list
        # has 16 entries: 16 is used. "Sfantu Gheorghe" and "Kanjiza" are written as the text
        # writes them (Sfântu Gheorghe, Kanjiža); "Bratislava- Rača" loses its stray space.
        "partners": [
            "Hungarian Central Statistical Office (lead partner), HU",
            "National Statistical Institute of the Republic of Bulgaria, BG",
            "University of Vienna, AT",
            "Municipality of Sfântu Gheorghe, RO",
            "INFOSTAT – Institute of Informatics and Statistics, SK",
            "Maribor Development Agency, SI",
            "Institute for Economic Research, SI",
            "Burgas Municipality, BG",
            "Municipality of the City District of Bratislava-Rača, SK",
            "Municipality of Szeged, HU",
            "Institute for East and Southeast European Studies, DE",
            "Statistical Office of the Republic of Serbia, RS",
            "Romanian Institute for Research on National Minorities, RO",
            "City of Graz, AT",
            "Institute of Social Sciences, RS",
            "Municipality of Kanjiža, RS",
        ],
        "summary": (
            "Sixteen partners led by the Hungarian Central Statistical Office, statisticians, "
            "researchers and city administrations together, measured how the migration of "
            "people aged 15 to 34 affects seven cities of the Danube region. Each city then "
            "tried out one idea of its own, from a virtual business incubator to mentoring for "
            "migrant girls who choose technical careers."
        ),
        "challenge": (
            "Migration policy is mostly made by national governments, and cities have no "
            "local figures on the young people who arrive, leave or come back. Without them "
            "they cannot plan schools, training or jobs for these young people."
        ),
        "actions": (
            "- Statistical offices and research institutes analysed youth migration in Burgas "
            "(Bulgaria), Graz (Austria), Maribor (Slovenia), Kanjiža (Serbia), Sfântu "
            "Gheorghe (Romania), Szeged (Hungary) and Bratislava-Rača (Slovakia).\n"
            "- A Good Practices Guide with examples from elsewhere helped each city design its "
            "pilot action.\n"
            "- The pilots: a virtual business incubator in Burgas; mentoring for migrant girls "
            "choosing technical careers in Graz; co-working spaces and support for creative "
            "entrepreneurs in Maribor and Kanjiža; an online platform for returnees in Sfântu "
            "Gheorghe; multicultural training for preschool teachers in Szeged; language "
            "courses in Bratislava-Rača."
        ),
        "results": (
            "Seven pilot actions designed and tested by the cities, and new local data on "
            "youth migration that city professionals now use. Statisticians, researchers and "
            "local decision-makers learned to work together."
        ),
        "resources": (
            "Sixteen partners in eight countries: national statistical offices, research "
            "institutes and universities, municipalities and a development agency. Total "
            "budget €2,574,202, of which €2,311,025 from the EU."
        ),
        "budget": Decimal("2574202"),
        "eu_contribution": Decimal("2311025"),
        # The source gives years only ("between 2017-19"): first and last day of those years.
        "period": (date(2017, 1, 1), date(2019, 12, 31)),
        "transferability": (
            "Start with the data: ask the national statistical office for local figures on "
            "young people moving in and out, then pick one pilot that answers what they show. "
            "The Graz mentoring for girls in technical careers is a ready model for linking "
            "schools with employers."
        ),
        "target_groups": [
            Audience.YOUTH,
            Audience.WOMEN,
            Audience.SCHOOLS,
            Audience.CITY_STAFF,
        ],
        "commitments": [2, 4, 5],
    },
    {
        "key": "TELL ME ABOUT IT",
        "scheme": "B",
        "city": ("Kotka", "FI"),
        "title": "Drama-based language workshops in which young immigrants tell their own stories",
        # source: 2 partners, 2 listed. The text also names the vocational college Ekami as a
        # collaborator; it is not a partner and is not listed. City: Xamk has campuses in
        # several towns and the source names none; Kotka, home of Ekami, is where the Finnish
        # side of the project worked.
        "partners": [
            "South-Eastern Finland University of Applied Sciences (lead partner), FI",
            "Folkuniversitetet stiftelsen kursverksamheten vid Uppsala universitet, SE",
        ],
        "summary": (
            "South-Eastern Finland University of Applied Sciences (Xamk) and Folkuniversitetet "
            "in Uppsala, with the vocational college Ekami, used research methods and drama "
            "lessons to help young immigrants learn the language and share their stories with "
            "local people. The aim was inclusion: more agency and self-esteem for newcomers in "
            "the towns they now live in."
        ),
        "challenge": (
            "Finland and Sweden both received many young immigrants after the 2015 refugee "
            "crisis. Their voices were rarely heard in their new communities, and they needed "
            "both the language and the confidence to take part."
        ),
        "actions": (
            "- Ran drama-based lessons built to improve language learning, in which "
            "participants told each other about their experiences.\n"
            "- Collected and studied these stories with research methods.\n"
            "- In Sweden, played a 'human rights game' to discuss and develop new approaches "
            "to social inclusion.\n"
            "- Fed the results into local and national integration work in both countries."
        ),
        "results": (
            "In Finland, telling their stories empowered the participants and drew them "
            "together; many found that others had lived through the same. In Sweden, "
            "participants enjoyed the workshops, asked for more and saw their own progress. "
            "A follow-up for the next programming period was to be outlined in early 2021."
        ),
        "resources": (
            "Two partners, in Finland and Sweden, with a Finnish vocational college taking "
            "part. Total budget €266,567, of which €199,925 from the EU."
        ),
        "budget": Decimal("266567"),
        "eu_contribution": Decimal("199925"),
        "period": PERIOD,
        "transferability": (
            "Language teachers in vocational colleges and adult education can take up drama "
            "lessons at little cost; they need a trained facilitator and a group where people "
            "feel safe. Inviting employers or neighbours to hear the stories carries the "
            "effect beyond the classroom."
        ),
        "target_groups": [Audience.YOUTH, Audience.NEWCOMERS, Audience.SCHOOLS],
        "commitments": [3, 4, 5],
    },
    {
        # Fits B: the certificate makes skills visible to employers. It is not aimed at young
        # people only.
        "key": "ARC",
        "scheme": "B",
        "city": ("Tampere", "FI"),
        "title": "An urban farmer certificate that turns refugees' volunteer work into a "
        "recognised skill",
        # source: 4 partners, 4 listed.
        "partners": [
            "Tampere Region Martat (lead partner), FI",
            "Tampere Region Design Association Modus, FI",
            "ISSS Resilience Centre, SE",
            "Institute of Swedish Safety & Security, SE",
        ],
        "summary": (
            "Tampere Region Martat and partners from Finland and Sweden turned the old "
            "kitchen garden of Lielahti Manor in Hiedanranta into an edible park where "
            "newly arrived refugees and local people grow, cook and share food. Volunteers "
            "earn an Urban Farmer Certificate, a formal record of their skills that they can "
            "show employers."
        ),
        "challenge": (
            "Refugees often arrive without certificates that prove what they can do, which "
            "keeps them out of jobs and so out of local life. Language is a second barrier: "
            "gardening instructions were hard to follow for people still learning Finnish."
        ),
        "actions": (
            "- Rebuilt the 19th-century vegetable garden of Lielahti Manor as an edible park "
            "with eight greenhouses made from recycled materials.\n"
            "- Held gardening, cooking and food-sharing events open to newcomers and "
            "neighbours.\n"
            "- Created the Urban Farmer Certificate, after an approach of the Swedish partner, "
            "to record volunteers' work and skills.\n"
            "- Made an online vocabulary test and how-to videos so that people could learn "
            "the garden's words.\n"
            "- Linked volunteers with partner gardens in neighbouring countries through a "
            "WhatsApp group for advice, photos and news."
        ),
        "results": (
            "86 events with 941 participants, 506 of them from immigrant communities. The "
            "videos and the vocabulary test are still used in the garden. Once the project was "
            "over, Tampere's Social Department went on referring its clients to the garden, and "
            "the community kept holding gardening evenings every summer."
        ),
        "resources": (
            "Four partners, two in Finland and two in Sweden; a disused manor garden, recycled "
            "building materials and volunteers. Total budget €169,956, of which €127,467 from "
            "the EU."
        ),
        "budget": Decimal("169956"),
        "eu_contribution": Decimal("127467"),
        "period": PERIOD,
        "transferability": (
            "Any city with an unused plot of public land and an organisation able to run "
            "volunteers can copy it. The certificate is the part most worth reusing: agree "
            "what it covers with the social and employment services from the start, so that "
            "it counts when people apply for work."
        ),
        "target_groups": [
            Audience.REFUGEES,
            Audience.NEWCOMERS,
            Audience.JOB_SEEKERS,
            Audience.RESIDENTS,
        ],
        "commitments": [4, 5],
    },
    {
        # Fits B through its check of hard and soft labour skills; it serves asylum seekers
        # and refugees of all ages, not young people only.
        "key": "EUMINT",
        "scheme": "B",
        "city": ("Bolzano", "IT"),
        "title": "A check of hard and soft labour skills within a cross-border integration toolkit",
        # source: the count beside the list and the text both say 17 partners, but the list
        # has 6 beneficiaries, 4 administrative districts and 8 associated partners (18). No
        # count is given in our text. "six associated regions" in the text against five
        # listed areas is left out too.
        "partners": [
            "Eurac Research (lead partner), IT",
            "ZeMiT – Center for Migrants in Tyrol, AT",
            "Institute of Geography, University of Innsbruck, AT",
            "EGTC – Euroregio Without Borders, IT, AT",
            "Regio Wipptal, AT",
            "ARLeF – Region of Friuli Venezia Giulia, IT",
            "Administrative District of Burggrafenamt/Burgraviato, IT",
            "Administrative District of Salten-Schlern/Salto-Sciliar, IT",
            "Administrative District of Eisacktal/Valle Isarco, IT",
            "Administrative District of Vinschgau/Val Venosta, IT",
            "Autonomous Province of Bolzano, Department of Social Affairs (associated), IT",
            "Cinformi (associated), IT",
            "Autonomous Province of Trento (associated), IT",
            "Land of Tyrol (associated), AT",
            "Municipality of Innsbruck (associated), AT",
            "EGTC – Euroregion Tyrol - South Tyrol - Trentino (associated), IT",
            "Autonomous Province of Bolzano, Department of Education, German Culture and "
            "Integration (associated), IT",
            "Municipality of Bolzano, Department of Services to the Local Community "
            "(associated), IT",
        ],
        "summary": (
            "Eurac Research in Bolzano led partners of the Tyrol–South Tyrol–Trentino and "
            "Senza Confini Euroregions in building shared tools for integrating asylum seekers "
            "and refugees. The work followed three lines, cooperation between institutions, "
            "civic integration and integration into work, and left reusable tools, among them "
            "a check of hard and soft labour skills."
        ),
        "challenge": (
            "The arrival of asylum seekers in the Alpine border regions of Italy and Austria "
            "tested institutions that had seldom worked together on integration across the "
            "border. The skills newcomers brought went unseen, which slowed their way into "
            "work."
        ),
        "actions": (
            "- Took stock of integration measures with working groups, migration experts and "
            "social workers, and held interviews with asylum seekers and refugees and with "
            "those who work with them.\n"
            "- Worked bottom-up with residents, refugees and asylum seekers at every stage, "
            "and weighed gender equality at every level.\n"
            "- Produced an evaluation check of hard and soft labour skills, an Ideas Lab forum "
            "that drew on earlier cross-border projects, and the board game 'House of Common "
            "Values' with a library of material to go with it."
        ),
        "results": (
            "More than 1,000 people took part: asylum seekers, refugees and residents of the "
            "Italian and Austrian regions involved. EUMINT was one of five finalists of "
            "RegioStars 2019 in the category on combating inequalities and poverty, runner-up "
            "for the Public Choice Award, chosen to take part in the Paris Peace Forum 2019 "
            "and invited to the Project Fair in Bolzano."
        ),
        "resources": (
            "Research institutes, migrant centres, regional and district administrations, "
            "provinces and the municipalities of Bolzano and Innsbruck, as beneficiary or "
            "associated partners. Total budget €1,174,728, of which €998,519 from the EU."
        ),
        "budget": Decimal("1174728"),
        "eu_contribution": Decimal("998519"),
        "period": PERIOD,
        "transferability": (
            "The skills check and the board game work wherever people of different languages, "
            "religions and cultures meet. Job centres, vocational schools and youth services "
            "can use the skills check to steer young newcomers towards training or jobs that "
            "build on what they already know."
        ),
        "target_groups": [
            Audience.REFUGEES,
            Audience.JOB_SEEKERS,
            Audience.RESIDENTS,
            Audience.CITY_STAFF,
        ],
        "commitments": [3, 4, 5],
    },
    {
        # Closest to B (engaging schools), though it supports families rather than matching
        # skills with jobs.
        "key": "REGI",
        "scheme": "B",
        "city": ("Turku", "FI"),
        "title": "Training teachers and social workers to support families split by work migration",
        # source: 4 partners, 4 listed.
        "partners": [
            "Turku University of Applied Sciences (lead partner), FI",
            "Tallinn University Rakvere College, EE",
            "Estonian Center of Southwest Finland, FI",
            "Baltic Region Healthy Cities Association, FI",
        ],
        "summary": (
            "Turku University of Applied Sciences led a Finnish–Estonian partnership for "
            "families where a parent, or both, works in Finland while the children live in "
            "Estonia. Teachers, social workers, NGOs and education institutes in both "
            "countries learned to see these families' needs and to support them together."
        ),
        "challenge": (
            "At the planning stage in 2015, 48,000 Estonians lived permanently in "
            "Finland and, by the Estonian Embassy's estimate, up to 17,000 more worked there "
            "unregistered. Parents working abroad while children stay at home can mean "
            "emotional distance, broken families, exclusion and poorer results at school, yet "
            "teachers and social workers had neither the knowledge nor the tools to help."
        ),
        "actions": (
            "- Brought public officials, NGOs and education institutes of Estonia and Finland "
            "to work together.\n"
            "- Trained Estonian social workers and teachers to support families living with "
            "work migration.\n"
            "- Found new ways to reach these families and built up peer support.\n"
            "- Made a book for migrant children that helps families talk about being apart."
        ),
        "results": (
            "Families of Estonian migrants now have more people to turn to in both countries, "
            "more support from peers and easier access to services; their wellbeing and their "
            "attachment to the place they live in grew. The children's book became a "
            "practical tool for talking about separation at home."
        ),
        "resources": (
            "Four partners, three in Finland and one in Estonia. Total budget €252,249, of "
            "which €194,765 from the EU."
        ),
        "budget": Decimal("252249"),
        "eu_contribution": Decimal("194765"),
        "period": PERIOD,
        "transferability": (
            "Useful wherever many parents work abroad or commute across a border. Problems "
            "show first at school: train teachers and school social workers, and give them a "
            "contact in the other country."
        ),
        "target_groups": [
            Audience.LABOUR_MIGRANTS,
            Audience.YOUTH,
            Audience.SCHOOLS,
            Audience.CITY_STAFF,
        ],
        "commitments": [4, 5],
    },
    # Scheme C: services for migrant entrepreneurs ------------------------------------------
    {
        "key": "SIREE",
        "scheme": "C",
        "city": ("London", "GB"),
        "title": "Learning communities in schools and coaching for refugees who want to start "
        "a business",
        # source: 9 partners, 9 listed ("Muncipality Middelburg" corrected). The text expands
        # the acronym as "Social and Economic Integration of Refugees..." against the title's
        # "Social Integration of Refugees...". Its 2015 arrival figures are context, not
        # results, and are not used. The University of Greenwich is in London.
        "partners": [
            "University of Greenwich (lead partner), UK",
            "Huis van het Leren, BE",
            "ARhus (vzw Het Portaal), BE",
            "Municipality of Middelburg, NL",
            "Association pour le Développement des Initiatives Citoyennes et Européennes "
            "(ADICE), FR",
            "City of Mechelen, BE",
            "University College Roosevelt, NL",
            "Medway Plus, UK",
            "Vives Zuid, BE",
        ],
        "summary": (
            "Nine partners from the United Kingdom, Belgium, the Netherlands and France, led by "
            "the University of Greenwich, helped refugee and migrant families settle through "
            "school and self-employment. Schools formed learning communities that bring "
            "parents and teachers together, and newcomers with a business idea were coached to "
            "plan, test and launch it. Every activity was designed with the people it serves."
        ),
        "challenge": (
            "After the arrivals of 2015, public debate dwelt on the crisis rather than on what "
            "newcomers bring. Families found it hard to take part in their children's school, "
            "and people who wanted to work for themselves did not know how to start a business "
            "in their new country."
        ),
        "actions": (
            "- Set up learning communities in schools that celebrate diversity: "
            "self-reflection lessons for young people, parents sharing recipes from their "
            "countries, events that bring families into school.\n"
            "- Coached newcomers to write an action plan and to develop and test their "
            "business idea, with support continuing for the businesses they start.\n"
            "- Published a website on starting a business in three languages.\n"
            "- Built an online toolbox for education professionals; an e-book and guides for "
            "other organisations were planned."
        ),
        "results": (
            "46 learning communities with 340 meetings so far. More than 100 people wrote an "
            "action plan for their business idea and more than 10 new businesses started. "
            "Over 350 people used the website on starting a business. Parents say teachers "
            "are easier to approach, and more parents come to school activities. Covid-19 "
            "postponed part of the work."
        ),
        "resources": (
            "Nine partners: universities, the municipalities of Middelburg and Mechelen, "
            "learning and adult education centres, a social enterprise and an association for "
            "citizens' European initiatives. Total budget €4,880,801, of which €2,928,480 from "
            "the EU."
        ),
        "budget": Decimal("4880801"),
        "eu_contribution": Decimal("2928480"),
        # Still running in the source ("until the end of the project", postponed activities).
        "period": (PERIOD[0], STILL_RUNNING),
        "transferability": (
            "The two strands can be copied separately. Business support services can start "
            "with what worked here: coaching towards a written action plan, a first test of "
            "the idea, and plain information on the rules in the languages newcomers read."
        ),
        "target_groups": [
            Audience.REFUGEES,
            Audience.ENTREPRENEURS,
            Audience.NEWCOMERS,
            Audience.SCHOOLS,
        ],
        "commitments": [4, 5, 11],
    },
    {
        # An information service on jobs and skills rather than business support; of the four
        # schemes, C (services) is the closest.
        "key": "DRIM",
        "scheme": "C",
        "city": ("Ljubljana", "SI"),
        "title": "Danube Compass: one multilingual information platform on work, skills and "
        "daily life",
        # source: 18 partners, 10 beneficiary and 8 associated listed, "18 cross-sector
        # partners" in the text. Two lines corrected: "Employment Service of SI" is the
        # Employment Service of Slovenia, and the Institute of Ethnology of the Slovak Academy
        # of Sciences is in Slovakia (SK), not SI. The text says the Compass runs in eight
        # countries while partners come from nine: both kept, they count different things.
        "partners": [
            "Research Centre of the Slovenian Academy of Sciences and Arts (lead partner), SI",
            "Caritas Academy of Diocese Graz-Seckau, AT",
            "SPF Group, Ltd., CZ",
            "GS gain&sustain OG, AT",
            "Employment Service of Slovenia, SI",
            "Centre for Peace Studies, HR",
            "Institute of Ethnology, Slovak Academy of Sciences, SK",
            "Central Transdanubian Regional Innovation Agency, HU",
            "City of Munich, Department of Labour and Economic Development, Local Employment "
            "and Qualification Policy, DE",
            "Lawyers Committee for Human Rights, RS",
            "Office for Human Rights and Rights of National Minorities, Government of the "
            "Republic of Croatia (associated), HR",
            "Department of Integration of the City of Graz (associated), AT",
            "Commissioner for the Protection of Equality of the Republic of Serbia "
            "(associated), RS",
            "The Municipal Authority of Prague-Libuš (associated), CZ",
            "META, o.p.s. – Association for Opportunities of Young Migrants (associated), CZ",
            "Ministry of Labour, Family, Social Affairs and Equal Opportunities (associated), SI",
            "Institute for Labour and Family Research (associated), SK",
            "Agency for Labour and Employment of Bosnia and Herzegovina (associated), BA",
        ],
        "summary": (
            "Eighteen partners from nine Danube countries, led by the Research Centre of the "
            "Slovenian Academy of Sciences and Arts, built the Danube Compass: an online "
            "platform in 21 languages that tells migrants how to find work, get their skills "
            "recognised and use public services. They also helped the institutions serving "
            "migrants give clearer and better coordinated information."
        ),
        "challenge": (
            "Migration into the Danube region grew, but information for newcomers on jobs and "
            "skills was scattered, incomplete and different in every country, and public "
            "institutions had no structures for working together across levels of government "
            "and borders."
        ),
        "actions": (
            "- Built the Danube Compass in 21 languages and launched it in eight countries of "
            "the region.\n"
            "- Improved local information services with national and local stakeholders "
            "through pilot actions, workshops and training.\n"
            "- Served two target groups at once: migrants themselves and the public bodies "
            "that serve them.\n"
            "- Won over senior decision-makers to keeping information plain and easy to find."
        ),
        "results": (
            "One source of information replaced fragmented material across the region, and "
            "the platform has been taken up beyond the partner countries. Institutions "
            "working with migrants cooperate much better, and senior decision-makers now "
            "recognise the value of simple, accessible information."
        ),
        "resources": (
            "Ten beneficiary and eight associated partners: research institutes, employment "
            "services, NGOs, ministries, equality bodies and city departments, among them the "
            "City of Munich's Department of Labour and Economic Development. Total budget "
            "€1,522,169, of which €1,293,843 from the EU."
        ),
        "budget": Decimal("1522169"),
        "eu_contribution": Decimal("1293843"),
        "period": PERIOD,
        "transferability": (
            "A city can join the platform or build its own on the same lines. The effort lies "
            "in keeping content current: agree from the start which office updates each topic, "
            "translate through one shared workflow, and train front-desk staff to use it."
        ),
        "target_groups": [
            Audience.NEWCOMERS,
            Audience.JOB_SEEKERS,
            Audience.LABOUR_MIGRANTS,
            Audience.CITY_STAFF,
        ],
        "commitments": [2, 4, 5],
    },
    {
        # Information and peer support for labour migrants rather than business services; C
        # (services) is the closest scheme.
        "key": "FEM",
        "scheme": "C",
        "city": ("Tallinn", "EE"),
        "title": "Peer groups and walk-in information points for Estonian women moving to Finland",
        # source: 3 partners, 3 listed. The source gives no town for the lead partner, an
        # Estonian chamber of societies; it ran the project's peer group in Tallinn.
        "partners": [
            "Chamber of Estonian Societies in Europe (lead partner), EE",
            "Estonian Center of Southwest Finland, FI",
            "The Association of Estonia-Societies in Finland, FI",
        ],
        "summary": (
            "The Chamber of Estonian Societies in Europe and two Estonian associations in "
            "Finland supported Estonian women living in Finland or planning to move there. "
            "Peer groups in Tallinn, Turku and Helsinki, walk-in information points in Turku "
            "and Helsinki and an online community gave them practical advice and emotional "
            "support."
        ),
        "challenge": (
            "In 2019 almost half of the Estonians registered abroad lived in Finland. The "
            "women among them are often socially and economically more vulnerable than local "
            "people, and those preparing to move seldom foresee what awaits them. Research on "
            "the reasons was lacking."
        ),
        "actions": (
            "- Gathered data to close the knowledge gap on Estonian migrant women.\n"
            "- Set up three peer groups, in Tallinn, Turku and Helsinki, using peer "
            "counselling.\n"
            "- Opened walk-in information points in Turku and Helsinki.\n"
            "- Ran a Facebook community and a project website where women swapped advice and "
            "questions about moving.\n"
            "- Let women preparing to move hear first-hand accounts from those who had moved."
        ),
        "results": (
            "Estonian women in Finland have better tools to settle in and can decide better "
            "before they move. Local governments and the public in both countries understand "
            "their difficulties better, and the results are used in preparing the Global "
            "Estonian Program 2021–2030."
        ),
        "resources": (
            "Three partner associations, one in Estonia and two in Finland. Total budget "
            "€210,144, of which €166,204 from the EU."
        ),
        "budget": Decimal("210144"),
        "eu_contribution": Decimal("166204"),
        "period": PERIOD,
        "transferability": (
            "Fits any large community that moves between two neighbouring countries. It needs "
            "trusted community associations on both sides, trained peer counsellors and an "
            "information point with a fixed place and opening hours."
        ),
        "target_groups": [Audience.WOMEN, Audience.LABOUR_MIGRANTS, Audience.NEWCOMERS],
        "commitments": [4, 5],
    },
    {
        # Health and wellbeing, not work: no scheme fits. C, about services for migrants, is
        # the closest.
        "key": "WOHEALTH",
        "scheme": "C",
        "city": ("Turku", "FI"),
        "title": "Peer support and easy-to-read health information for migrant women",
        # source: 2 partners, 2 listed (the Turku NGO Sateenkaarikoto took part informally and
        # is not a partner). "Region Östergötland,Flyktingmedicinskt centrum" gets its space.
        "partners": [
            "Turku University of Applied Sciences (lead partner), FI",
            "Region Östergötland, Flyktingmedicinskt centrum, SE",
        ],
        "summary": (
            "Turku University of Applied Sciences and the Centre for Refugee Medicine "
            "(Flyktingmedicinskt centrum) of Region Östergötland are developing training and "
            "easy-to-read health material so that migrant women can look after their own and "
            "their families' health. In Finland, women who settled years ago support "
            "newcomers as peers; in Sweden, multicultural health advisers are trained."
        ),
        "challenge": (
            "Migrant women who use health services for themselves or their families meet "
            "language barriers and cultural differences when they talk to health "
            "professionals."
        ),
        "actions": (
            "- Developed a training programme and easy-to-read health material.\n"
            "- In Finland, paired volunteers of migrant background who have lived there for "
            "years with newly arrived women of similar background and needs.\n"
            "- In Sweden, trained a multicultural health adviser to guide immigrant women "
            "through the health system.\n"
            "- Drew on the experience of Sateenkaarikoto, a Turku NGO that works with "
            "immigrant women."
        ),
        "results": (
            "Early results: the women who joined the workshops and study groups enjoyed them "
            "and gained from them, and their feedback is steering the project. It was due to "
            "end in spring 2021."
        ),
        "resources": (
            "Two partners, in Finland and Sweden, with a local NGO involved informally. Total "
            "budget €265,833, of which €199,375 from the EU."
        ),
        "budget": Decimal("265833"),
        "eu_contribution": Decimal("199375"),
        # Still running in the source, due to end in spring 2021 (no day given).
        "period": (PERIOD[0], STILL_RUNNING),
        "transferability": (
            "Health and social services can copy the peer model by recruiting volunteers "
            "through migrant associations; easy-to-read material can be reused once "
            "translated."
        ),
        "target_groups": [Audience.WOMEN, Audience.NEWCOMERS, Audience.CITY_STAFF],
        "commitments": [4, 5],
    },
    {
        # Emergency reception at sea and on land, not access to work: it fits none of the
        # schemes. C, services for newcomers, is the closest.
        "key": "PAIONAS",
        "scheme": "C",
        "city": ("Piraeus", "GR"),
        "title": "Rescue equipment and a better temporary host area for refugees arriving in "
        "Greece and Cyprus",
        # source: 3 partners, 3 listed. The lead serves the Ministry of Maritime Affairs and
        # Insular Policy, which sits in Piraeus.
        "partners": [
            "Special Service of European Union Structural Funds for the Ministry of Maritime "
            "Affairs & Insular Policy (lead partner), GR",
            "Cyprus Civil Defence, CY",
            "National Emergency Center, GR",
        ],
        "summary": (
            "The Special Service of EU Structural Funds of the Greek Ministry of Maritime "
            "Affairs and Insular Policy, Cyprus Civil Defence and the Greek National Emergency "
            "Center invested in what it takes to receive refugees humanely: vehicles, boats "
            "and crews in the Aegean, and a larger, better equipped temporary host area at "
            "Kokkinotrimithia in Cyprus."
        ),
        "challenge": (
            "The Aegean islands and Cyprus saw large numbers of refugees arrive by sea, often "
            "on rough coasts, with too little equipment to help them and too little room to "
            "host them as the European Directive requires."
        ),
        "actions": (
            "- Bought a new fleet of pick-up trucks to help refugees landing on rocky "
            "coastlines.\n"
            "- Acquired boats designed to carry medical equipment and give assistance, and "
            "recruited ambulance crew members.\n"
            "- At Kokkinotrimithia, enlarged the temporary host area and added a kitchen, "
            "a dining room, a laundry, a warehouse, an administration office, sanitary "
            "facilities, places of worship and a playground."
        ),
        "results": (
            "The host area in Cyprus takes more people in better conditions, and incidents at "
            "sea and on land in Greece are expected to be handled more effectively. Greece and "
            "Cyprus cooperate more closely and have improved their crisis response tools."
        ),
        "resources": (
            "Three public bodies, two in Greece and one in Cyprus. Total budget €3,450,466, of "
            "which €2,932,896 from the EU."
        ),
        "budget": Decimal("3450466"),
        "eu_contribution": Decimal("2932896"),
        "period": PERIOD,
        "transferability": (
            "Relevant to port and island cities that receive people in emergencies. The "
            "lesson for any host city: first reception needs room for family life, worship "
            "and children's play, not only beds."
        ),
        "target_groups": [Audience.REFUGEES, Audience.NEWCOMERS, Audience.MINORS],
        "commitments": [4, 5],
    },
    # Scheme D: anti-discrimination on the local job market ---------------------------------
    {
        # Fits D: it sets out to change how migration is seen, from problem to asset, where
        # jobs stay vacant.
        "key": "ARRIVAL REGIONS",
        "scheme": "D",
        "city": ("Leipzig", "DE"),
        "title": "Rural regions that treat non-EU migrants as an asset for their future",
        # source: 13 partners, 13 listed, 13 in the text; six countries in the text match the
        # list. "Lodzkie Region" is written in its native spelling, Łódzkie.
        "partners": [
            "Leibniz Institute for Regional Geography (lead partner), DE",
            "Westpomeranian Region, PL",
            "Łódzkie Region, PL",
            "Municipality of Postojna, SI",
            "Burgenland district, DE",
            "Center Rotunda, Koper, SI",
            "Information legal centre, HR",
            "University of Szczecin, PL",
            "National Union of Mountain Municipalities and Mountain Communities – UNCEM "
            "Piemonte, IT",
            "Mountain Union of Mongia e Cevetta Valley Langa Cebana Alta Valle Bormida, IT",
            "University of West Bohemia, CZ",
            "LAG Escartons and Waldensians Valleys, IT",
            "City of Osijek, HR",
        ],
        "summary": (
            "Led by the Leibniz Institute for Regional Geography in Leipzig, thirteen partners "
            "from six countries work with rural regions that are losing people. A shared "
            "strategy and pilot actions make these new destinations of immigration more "
            "welcoming to non-EU migrants, whose work can fill the jobs that ageing "
            "populations leave open."
        ),
        "challenge": (
            "Most international migrants leave the countryside for big cities, while rural "
            "Central Europe ages and cannot fill its vacancies. Migration is mostly presented "
            "as a problem, which makes residents and employers wary and newcomers unlikely to "
            "stay."
        ),
        "actions": (
            "- Agreed a Transnational Strategy of socially innovative ways to integrate "
            "non-EU nationals, a framework partners use every day, from Piemonte to the Plzeň "
            "region.\n"
            "- Ran pilot actions fitted to local needs and to different groups, from "
            "unaccompanied minors to labour migrants, with NGOs, public administrations and "
            "local businesses.\n"
            "- Organised joint study trips across Europe for mutual learning.\n"
            "- Began a toolkit of the strategies and measures the pilots show to work."
        ),
        "results": (
            "The Transnational Strategy is finished and in use. Working with stakeholders "
            "brought together local organisations that had not known each other. The toolkit "
            "of tested measures was in preparation in 2020."
        ),
        "resources": (
            "Thirteen partners in Germany, Poland, Slovenia, Croatia, Italy and the Czech "
            "Republic: research institutes, regions, municipalities, universities and NGOs. "
            "Total budget €2,204,872, of which €1,811,190 from the EU."
        ),
        "budget": Decimal("2204872"),
        "eu_contribution": Decimal("1811190"),
        # Still running in the source (pilots being tested, toolkit to come).
        "period": (PERIOD[0], STILL_RUNNING),
        "transferability": (
            "Suited to small towns and rural districts short of workers. It needs a local "
            "group that includes employers, a written strategy that local leaders can point "
            "to, and pilots flexible enough to serve the migrants who actually live there."
        ),
        "target_groups": [
            Audience.LABOUR_MIGRANTS,
            Audience.REFUGEES,
            Audience.MINORS,
            Audience.EMPLOYERS,
            Audience.RESIDENTS,
        ],
        "commitments": [1, 2],
    },
    {
        # Welcome services and public awareness in small municipalities; D is the closest
        # scheme (intercultural mediation on jobs, bottom-up policies against fear).
        "key": "PLURALPS",
        "scheme": "D",
        "city": ("Alberschwende", "AT"),
        "title": "Welcome services and action plans for newcomers in seven small Alpine "
        "municipalities",
        # source: 10 partners, 10 listed; the lead partner, listed ninth, is put first.
        # "Auvergne Rhone-Alps Region" is written Auvergne-Rhône-Alpes. The source gives only
        # "Vorarlberg" for the lead partner; its registered office is in Alberschwende.
        "partners": [
            "Regional Development Vorarlberg eGen (lead partner), AT",
            "Auvergne-Rhône-Alpes Region, FR",
            "CIPRA International Lab GmbH, AT",
            "Community Network Alliance in the Alps, DE",
            "European Academy of Bolzano, IT",
            "Franco Demarchi Foundation, IT",
            "Lucerne University of Applied Sciences and Arts, CH",
            "Piemonte Region, IT",
            "Regional Development Agency Upper Styria East GmbH, AT",
            "Urban Planning Institute of the Republic of Slovenia, SI",
        ],
        "summary": (
            "Ten partners across the Alpine Space, led by Regional Development Vorarlberg, "
            "helped small municipalities see migration as a chance rather than a threat. "
            "Seven pilot municipalities in France, Switzerland, Liechtenstein, Austria, "
            "Germany and Italy drew up action plans and tried out welcome services; the "
            "lessons went into an innovation toolbox and a white paper."
        ),
        "challenge": (
            "Alpine regions are ageing and need social innovation, yet migration is often met "
            "with fear and conflict. Small municipalities had little experience of planning "
            "integration or of working across sectors and levels of government."
        ),
        "actions": (
            "- Pursued three aims: better social planning and integration practice, stronger "
            "cooperation across levels, actors and sectors, and public awareness as the basis "
            "of bottom-up policies.\n"
            "- Supported action plans in Les Belleville and Guillestre (France), Sattel "
            "(Switzerland), Ruggell (Liechtenstein), Gaschurn (Austria), Aschau im Chiemgau "
            "(Germany) and Budoia (Italy).\n"
            "- Tried out regular welcome events and information for newcomers, intercultural "
            "mediators for questions of work and housing, local and migrant volunteers, and "
            "language courses for women with childcare.\n"
            "- Published the Alpine Cooperation Potential report, the Social Planning "
            "Instrument and the PlurAlps white paper, and created the Alpine Pluralism Award."
        ),
        "results": (
            "The seven action plans brought concrete changes in the municipalities and better "
            "access to services, showing that integration can be planned by local government. "
            "The innovation toolbox sums up the pilots' lessons so that other communities can "
            "repeat them."
        ),
        "resources": (
            "Ten partners in Austria, France, Germany, Italy, Switzerland and Slovenia: "
            "regions, development agencies, research institutes and networks. Total budget "
            "€2,429,998, of which €2,065,498 from the EU."
        ),
        "budget": Decimal("2429998"),
        "eu_contribution": Decimal("2065498"),
        "period": PERIOD,
        "transferability": (
            "Made for small municipalities with few staff: the toolbox and the Social Planning "
            "Instrument give them a ready method. Mediators and volunteer schemes work best "
            "where a regional body supports several villages at once."
        ),
        "target_groups": [
            Audience.NEWCOMERS,
            Audience.WOMEN,
            Audience.RESIDENTS,
            Audience.CITY_STAFF,
        ],
        "commitments": [1, 2, 4],
    },
    {
        "key": "MINPLUS",
        "scheme": "D",
        "city": ("Bellinzona", "CH"),
        "title": "Public communication against fear of newcomers in Alpine border communities",
        # source: 6 partners, 6 listed, "six partners" in the text. The lead, a department of
        # the Canton of Ticino, sits in the canton's capital, Bellinzona.
        "partners": [
            "Cantone Ticino – Dipartimento dell'educazione, della cultura e dello sport "
            "(lead partner), CH",
            "Consorzio Intercomunale Servizi Sociali Ossola (Domodossola), IT",
            "Integra società cooperativa sociale (Novara), IT",
            "Centro di ricerca e documentazione Luigi Einaudi (Torino), IT",
            "Regione Piemonte – DG Coesione sociale (Torino), IT",
            "Formazione inserimento lavorativo orientamento servizi società cooperativa "
            "(Novara), IT",
        ],
        "summary": (
            "Six partners from Canton Ticino and Piemonte, led by the canton's Department of "
            "Education, Culture and Sport, are building a shared cross-border model for "
            "reception and welfare. Exhibitions, videos, webinars for local media and a report "
            "on good practices work for better relations between host communities and "
            "migrants, with attention to unaccompanied minors close to adulthood."
        ),
        "challenge": (
            "Small mountain communities of Piemonte and Ticino have strong social control and "
            "can meet migrants with racial tension and fear of the 'other'. Older "
            "unaccompanied foreign minors, about to come of age, suffer most from it."
        ),
        "actions": (
            "- Used knowledge from earlier European projects to design a cross-border "
            "governance model for welfare services.\n"
            "- Raised awareness with photo exhibitions, videos in which second- and "
            "third-generation migrants tell their own stories, and webinars for local media.\n"
            "- Worked directly with decision-makers and stakeholders and published research "
            "papers.\n"
            "- Issued the report 'The Governance of Reception of Asylum Seekers and "
            "Unaccompanied Foreign Minors – Good Practices From the Canton Ticino to "
            "Piemonte' as part of a communication toolkit."
        ),
        "results": (
            "A communication toolkit and the good-practice report serve both regions. Despite "
            "the limits Covid-19 imposed, the partners took time for the wider questions a new "
            "model raises. The project was still running in 2020."
        ),
        "resources": (
            "Six partners: the Canton of Ticino, Piemonte Region, an inter-municipal social "
            "services consortium, two social cooperatives and a research centre. Total budget "
            "€867,298, of which €552,739 from the EU."
        ),
        "budget": Decimal("867298"),
        "eu_contribution": Decimal("552739"),
        "period": (PERIOD[0], STILL_RUNNING),
        "transferability": (
            "Exhibitions, personal video stories and webinars for journalists cost little and "
            "suit any municipality. They work best when local migrants tell their own stories "
            "and when the local press is involved from the start."
        ),
        "target_groups": [
            Audience.MINORS,
            Audience.REFUGEES,
            Audience.RESIDENTS,
            Audience.CITY_STAFF,
        ],
        "commitments": [1, 2],
    },
    {
        # Fits D: it argues for an inclusive city for refugees, in society and in work.
        "key": "SIforREF",
        "scheme": "D",
        "city": ("Venice", "IT"),
        "title": "Putting social innovation on the agenda of refugee integration policy",
        # source: 9 partners, 9 listed, "nine project partners" in the text. The acronym is
        # printed "SlforREF" (a lower-case L). The total budget is printed "2 2213 206 €", a
        # digit too many to read either way: it is left out, and with it the EU contribution
        # field (a contribution needs its total); the clear EU figure is given in the text.
        "partners": [
            "Ca' Foscari University of Venice (lead partner), IT",
            "University of Vienna, AT",
            "Public Company for Personal Services – ASP City of Bologna, IT",
            "ISI e.V. Initiative for Self-Employment of Immigrant Women, DE",
            "Gmajna Cultural Association, SI",
            "Municipality of Parma, IT",
            "Caritas Vienna, AT",
            "Berlin University of Technology, DE",
            "Research Centre of the Slovenian Academy of Sciences and Arts, SI",
        ],
        "summary": (
            "Started at the height of the refugee crisis, SIforREF brings together nine "
            "partners from Italy, Austria, Slovenia and Germany, led by Ca' Foscari University "
            "of Venice, so that cities plan the inclusion of refugees from the start instead "
            "of as an afterthought. Partners in Veneto, Emilia-Romagna, Vienna, Western "
            "Slovenia and Berlin share practice and bring social innovation into a debate "
            "official policy had left aside."
        ),
        "challenge": (
            "Regional and local policies did little for refugees' transition into their new "
            "communities, and social innovation was largely missing from integration policy. "
            "The partners also had to work through the Covid-19 pandemic and through "
            "government policies hostile to refugees."
        ),
        "actions": (
            "- Linked universities, municipalities, public social services, NGOs and an "
            "initiative for the self-employment of immigrant women.\n"
            "- Shared practice across the five regions to tackle the same problems.\n"
            "- Made the case that an inclusive city benefits all its residents, not refugees "
            "alone."
        ),
        "results": (
            "The partners report that sharing practice and close ties across regions made "
            "them much better at handling common problems, and that cooperation and mutual "
            "learning kept the work going despite the pandemic. The project was still running "
            "in 2020."
        ),
        "resources": (
            "Nine partners: universities, the Municipality of Parma, Bologna's public company "
            "for personal services, Caritas Vienna, a Slovenian cultural association and an "
            "initiative for the self-employment of immigrant women in Berlin. EU contribution "
            "€1,788,503; the source misprints the total budget, so it is not given."
        ),
        "budget": None,
        "eu_contribution": None,
        "period": (PERIOD[0], STILL_RUNNING),
        "transferability": (
            "A city can invite researchers, social services and refugee-led initiatives into a "
            "shared learning network. What makes it last is a political sponsor who writes "
            "refugee inclusion into the city's mainstream plans."
        ),
        "target_groups": [Audience.REFUGEES, Audience.RESIDENTS, Audience.CITY_STAFF],
        "commitments": [1, 2, 3],
    },
    {
        # Cooperation between institutions rather than the job market; D is the closest, as it
        # builds shared understanding among the public bodies that deal with migrants.
        "key": "MINTEGRATION",
        "scheme": "D",
        "city": ("Plzeň", "CZ"),
        "title": "Cross-border networks that bring police, reception services and NGOs together "
        "on integration",
        # source: 2 partners, 2 listed. The University of West Bohemia is in Plzeň.
        "partners": [
            "University of West Bohemia (lead partner), CZ",
            "University of Bayreuth, DE",
        ],
        "summary": (
            "The University of West Bohemia in Plzeň and the University of Bayreuth connected "
            "the institutions on both sides of the Bavarian–Czech border that deal with "
            "migrants. Workshops, mutual visits and local networks helped police, reception "
            "authorities, public bodies and NGOs solve shared problems, and led to a new "
            "Migration and Integration Research Centre in Plzeň."
        ),
        "challenge": (
            "Institutions in the border region worked on migrant integration in isolation, "
            "each on its own side of the border and at its own level of government."
        ),
        "actions": (
            "- Offered meeting places where national and regional institutions could work on "
            "common problems together.\n"
            "- Held networking workshops with, among others, the Upper Franconia police and "
            "the Refugee Facilities Administration of the Czech Ministry of the Interior, "
            "followed by visits to each other's migrant-related facilities.\n"
            "- Built a local network in Weiden in der Oberpfalz with Diakonie Weiden, working "
            "out strategies with partners from business, administration, government, "
            "education and volunteering."
        ),
        "results": (
            "The University of West Bohemia founded a Migration and Integration Research "
            "Centre, which now gives workshops to institutions such as the Czech prison "
            "service and the Refugee Facilities Administration. The university joined another "
            "Interreg project, Arrival Regions. The project ended in 2020."
        ),
        "resources": (
            "Two universities, one Czech and one German. Total budget €495,920, of which "
            "€421,532 from the EU."
        ),
        "budget": Decimal("495920"),
        "eu_contribution": Decimal("421532"),
        # The source says the project concluded in 2020 and gives no start.
        "period": PERIOD,
        "transferability": (
            "Any city near a border, or with many agencies dealing with migrants, can run the "
            "same cycle of workshops and mutual visits. A university partner gives the "
            "network continuity after the funding ends."
        ),
        "target_groups": [Audience.CITY_STAFF, Audience.REFUGEES, Audience.RESIDENTS],
        "commitments": [2, 8],
    },
]

# scheme code: title, introduction, key success factors (name, description), practices in
# their order (project keys).
TOOLKITS = {
    "A": {
        "title": "Opening markets to migrant entrepreneurs",
        "introduction": (
            "Cities buy a large share of the goods and services their budgets pay for, and "
            "their economic development offices decide who gets a stand at a fair, a desk in "
            "a co-working space or a meeting with a buyer. Firms run by migrants are seldom "
            "part of these circles: they are small, often work in food, fashion or crafts, "
            "and do not always know the rules or the people.\n\n"
            "The three practices in this toolkit show three ways in: making migrant-run "
            "businesses visible to customers and established companies (SEE ME IN, led from "
            "Milan), opening a city's own venues and events to migrant entrepreneurs (Urban "
            "Diversity, Ljubljana and Graz), and helping inclusive social enterprises become "
            "suppliers of the services public bodies buy (BEGIN, led from Nova Gorica).\n\n"
            "None of them changes procurement rules by itself. Together they show what a city "
            "can do before a tender is even published: know its migrant-run suppliers, meet "
            "them, and make room for them."
        ),
        "factors": [
            (
                "Know the businesses",
                "Map migrant-run firms by sector and by need before designing support; "
                "needs differ between places with many such firms and places with few.",
            ),
            (
                "Work through business bodies",
                "Chambers of commerce, development agencies and business associations open "
                "doors that a city department cannot open alone.",
            ),
            (
                "Visible places",
                "Give migrant entrepreneurs room in busy streets, fairs, design weeks and "
                "co-working spaces, where customers and buyers already are.",
            ),
            (
                "Officials who understand",
                "Train the staff who run business support and purchasing on the barriers "
                "migrant entrepreneurs meet.",
            ),
            (
                "Use the city's own purchasing",
                "Lots, reserved contracts and social clauses let small and inclusive firms "
                "compete for public work.",
            ),
        ],
        "practices": ["SEE ME IN", "URBAN DIVERSITY", "BEGIN"],
    },
    "B": {
        "title": "Young migrants' skills and the world of work",
        "introduction": (
            "Young people with a migrant background often have more skills than their papers "
            "show, and less of the language and the contacts that lead to a first job. "
            "Schools, job agencies and employers each see part of the picture; few cities "
            "bring the parts together.\n\n"
            "The practices gathered here start at different points. YOUMIG gave seven Danube "
            "cities local data on young people who come and go, and a pilot of their own. "
            "Tell Me About It used drama to build language and confidence. ARC in Tampere "
            "and EUMINT in the Alpine Euroregions made skills visible with a certificate and a "
            "skills check. REGI, from Turku, trained teachers and social workers to support "
            "the children of parents who work abroad.\n\n"
            "What they share is a wish to see young newcomers as people with something to "
            "offer, and a practical tool that lets a school or an employer see it too."
        ),
        "factors": [
            (
                "Make skills visible",
                "A certificate or a skills check that employers and job services recognise "
                "turns volunteer work and informal experience into something to show.",
            ),
            (
                "Learn the language by doing",
                "Gardening, drama and storytelling teach the words people need while "
                "building confidence.",
            ),
            (
                "Start from local data",
                "Figures on who arrives, leaves and returns let a city choose the right pilot "
                "instead of guessing.",
            ),
            (
                "Bring schools in",
                "Teachers and school social workers are the first to see problems; train "
                "them and link them with employers and families.",
            ),
            (
                "Design with young people",
                "Participatory methods keep activities relevant and bring participants back.",
            ),
        ],
        "practices": ["YOUMIG", "TELL ME ABOUT IT", "ARC", "EUMINT", "REGI"],
    },
    "C": {
        "title": "Services that reach migrant entrepreneurs and newcomers",
        "introduction": (
            "A migrant who wants to start a business first needs to know the rules, find "
            "someone to ask and trust the answer. Services for migrant entrepreneurs succeed "
            "or fail on these basics, long before any loan or training course.\n\n"
            "SIREE, led from London, coached refugees from a business idea to an action plan "
            "and a first test, and saw more than ten businesses start. The other practices "
            "come from outside enterprise support but show how services reach newcomers at "
            "all: the Danube Compass put information on work and skills in 21 languages; FEM "
            "and WOHEALTH relied on peers who had made the same journey; PAIONAS, an "
            "emergency project in Greece and Cyprus, is a reminder that decent reception is "
            "where every later service begins.\n\n"
            "Business support services can borrow from all of them: one trusted place for "
            "information, peers as guides, and services designed with the people who use "
            "them."
        ),
        "factors": [
            (
                "One place for information",
                "Plain, current information in the languages newcomers read, kept up to "
                "date by named offices.",
            ),
            (
                "Peers as guides",
                "People who have made the same move give advice newcomers trust; train and "
                "support them.",
            ),
            (
                "From idea to plan",
                "Coaching towards a written action plan and a first low-risk test turns "
                "ideas into businesses.",
            ),
            (
                "Co-design",
                "Services designed with the migrants they serve reach more people and waste "
                "less effort.",
            ),
            (
                "Front-line staff",
                "Train the staff of public services and give them the tools to answer "
                "migrants' questions.",
            ),
        ],
        "practices": ["SIREE", "DRIM", "FEM", "WOHEALTH", "PAIONAS"],
    },
    "D": {
        "title": "Fair chances on the local job market",
        "introduction": (
            "Discrimination on the job market rarely starts at the interview. It grows from "
            "how a community talks about newcomers, from services that do not reach them and "
            "from institutions that do not talk to each other. Strategies against it work on "
            "all three.\n\n"
            "Arrival Regions, led from Leipzig, presents migrants as the workers that ageing "
            "rural regions need. PlurAlps helped seven small Alpine municipalities plan their "
            "welcome, with mediators on questions of work and housing. MinPlus, led from "
            "Bellinzona, uses exhibitions, films and the local press against fear of the "
            "'other'. SIforREF, led from Venice, argues for refugee inclusion in mainstream "
            "city policy, and MINTEGRATION, from Plzeň, got police, reception services and "
            "NGOs on both sides of a border to work together.\n\n"
            "The lesson across them: change the story, give it a plan with a political "
            "mandate, and keep the institutions that meet migrants in one network."
        ),
        "factors": [
            (
                "Change the story",
                "Present migrants as people a place needs, with the figures to back it, and "
                "let migrants tell their own stories.",
            ),
            (
                "A plan with a mandate",
                "A local action plan endorsed by the municipality turns good intentions into "
                "services and changes.",
            ),
            (
                "Mediators and volunteers",
                "Intercultural mediators and local volunteers resolve questions of work and "
                "housing before they become conflicts.",
            ),
            (
                "One network of institutions",
                "Police, reception services, job services and NGOs that know each other "
                "solve shared problems faster.",
            ),
            (
                "A research partner",
                "A university or institute keeps the knowledge and the network alive after "
                "the funding ends.",
            ),
        ],
        "practices": ["ARRIVAL REGIONS", "PLURALPS", "MINPLUS", "SIforREF", "MINTEGRATION"],
    },
}

# The first practice was written on WRITTEN, each next one a week later; each was submitted three
# days after it was written and published two weeks after that. The toolkits were put together
# in the summer and each published as edition 1 on PUBLISHED, before the final meeting.
WRITTEN = date(2018, 2, 5)
ASSEMBLED = date(2018, 7, 2)
PUBLISHED = date(2018, 9, 11)

EDITION_NOTES = "First edition, from 18 Interreg projects described by Interact in 2020."


def practice_slug(city_name: str, title: str) -> str:
    """The address practice_create gives a practice when no other practice has it."""
    return slug_from(f"{city_name} {title}", max_length=200)


def seed_demo_toolkits(
    programme: Programme, schemes: dict[str, Scheme], *, password_hash: str
) -> int:
    """The demo practices and one published toolkit per scheme. New demo people get
    ``password_hash`` (seed_demo passes its demo password's hash). Returns how many practices
    were created."""
    cities = _cities()
    authors, experts = _people(programme, schemes, cities, password_hash)
    practices = _practices(schemes, cities, authors, experts)
    _toolkits(schemes, experts, practices)
    return sum(1 for _practice, created in practices.values() if created)


def _cities() -> dict[tuple[str, str], City]:
    """Every lead partner's city: the demo city of that name, or a new one. New cities are
    checked field by field and inserted at once: the lookup first keeps names unique, and the
    database's constraints hold the rest."""
    wanted = {spec["city"] for spec in PRACTICES}
    found = {
        (city.name, city.country.code): city
        for city in City.objects.filter(name__in=[name for name, _country in wanted])
    }
    new = []
    for name, country, latitude, longitude, languages in CITIES:
        if (name, country) in found:
            continue
        city = City(
            name=name,
            slug=slug_from(name),
            country=country,
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
            languages=languages,
        )
        city.full_clean(validate_unique=False, validate_constraints=False)
        new.append(city)
    found.update({(city.name, city.country.code): city for city in City.objects.bulk_create(new)})
    return {key: found[key] for key in wanted}


def _people(
    programme: Programme,
    schemes: dict[str, Scheme],
    cities: dict[tuple[str, str], City],
    password_hash: str,
) -> tuple[dict[int, User], dict[str, User]]:
    """An officer per city (by city id) and an expert per scheme (by code): the first one it
    has, which for CITIES-GROW cities and scheme A is seed_demo's demo login, or a new demo
    login. New people are written as accounts.services would write them (a verified e-mail
    address, the demo password, one membership each) but in three inserts: one by one through
    user_create and membership_grant took half a second of every seeding."""
    authors: dict[int, User] = {}
    officers = Membership.objects.filter(role=Role.OFFICER, city__in=cities.values())
    for membership in officers.select_related("user").order_by("pk"):
        authors.setdefault(membership.city_id, membership.user)
    by_scheme: dict[int, User] = {}
    facilitators = Membership.objects.filter(role=Role.EXPERT, scheme__in=schemes.values())
    for membership in facilitators.select_related("user").order_by("pk"):
        by_scheme.setdefault(membership.scheme_id, membership.user)

    missing: list[tuple[str, str, dict]] = [
        (f"officer.{city.slug}@{DEMO_DOMAIN}", f"{city.name} officer", {"city": city})
        for city in cities.values()
        if city.pk not in authors
    ] + [
        (
            f"expert.{code.lower()}@{DEMO_DOMAIN}",
            f"{programme.name} scheme {code} expert ({scheme.facilitator.name})",
            {"scheme": scheme},
        )
        for code, scheme in schemes.items()
        if scheme.pk not in by_scheme
    ]
    people = _demo_logins(missing, password_hash)
    for email, _name, scope in missing:
        if "city" in scope:
            authors[scope["city"].pk] = people[email]
        else:
            by_scheme[scope["scheme"].pk] = people[email]
    return authors, {code: by_scheme[scheme.pk] for code, scheme in schemes.items()}


def _demo_logins(wanted: list[tuple[str, str, dict]], password_hash: str) -> dict[str, User]:
    """The demo people with these addresses, each holding the officer role of the city or the
    expert role of the scheme in its scope; created or granted where missing."""
    if not wanted:
        return {}
    people = {u.email: u for u in User.objects.filter(email__in=[e for e, _n, _s in wanted])}
    new = [
        User(email=email, full_name=name, password=password_hash)
        for email, name, _scope in wanted
        if email not in people
    ]
    for user in new:
        user.full_clean(validate_unique=False, validate_constraints=False)
    User.objects.bulk_create(new)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in new
    )
    people.update({user.email: user for user in new})
    held = set(
        Membership.objects.filter(user__in=people.values()).values_list(
            "user_id", "role", "city_id", "scheme_id"
        )
    )
    grants = []
    for email, _name, scope in wanted:
        user, city, scheme = people[email], scope.get("city"), scope.get("scheme")
        role = Role.OFFICER if city else Role.EXPERT
        key = (user.pk, role, city.pk if city else None, scheme.pk if scheme else None)
        if key not in held:
            grants.append(Membership(user=user, role=role, city=city, scheme=scheme))
    Membership.objects.bulk_create(grants)
    return people


def _practices(
    schemes: dict[str, Scheme],
    cities: dict[tuple[str, str], City],
    authors: dict[int, User],
    experts: dict[str, User],
) -> dict[str, tuple[GoodPractice, bool]]:
    """Each project's practice, written by its city's officer and published by the scheme's
    expert; with whether it was created now."""
    slugs = {
        spec["key"]: practice_slug(cities[spec["city"]].name, spec["title"]) for spec in PRACTICES
    }
    existing = {p.slug: p for p in GoodPractice.objects.filter(slug__in=slugs.values())}
    programme = next(iter(schemes.values())).programme
    groups = {group.name: group for group in TargetGroup.objects.filter(programme=programme)}
    if missing := [name for name in TARGET_GROUPS if name not in groups]:
        TargetGroup.objects.bulk_create(
            TargetGroup(programme=programme, name=name, position=TARGET_GROUPS.index(name))
            for name in missing
        )
        groups = {g.name: g for g in TargetGroup.objects.filter(programme=programme)}
    commitments = {c.number: c for c in Commitment.objects.filter(framework=programme.framework_id)}
    practices: dict[str, tuple[GoodPractice, bool]] = {}
    written = ((GoodPractice, "created_at"), (GoodPractice, "updated_at"))
    reviewed = (
        (GoodPractice, "updated_at"),
        (GoodPractice, "published_at"),
        (PracticeReview, "at"),
    )
    for n, spec in enumerate(PRACTICES):
        if slugs[spec["key"]] in existing:
            practices[spec["key"]] = (existing[slugs[spec["key"]]], False)
            continue
        city = cities[spec["city"]]
        author = authors[city.pk]
        started_on, ended_on = spec["period"]
        day = WRITTEN + timedelta(weeks=n)
        with dated(demo_at(day), *written):
            practice = services.practice_create(
                city=city,
                author=author,
                scheme=schemes[spec["scheme"]],
                title=spec["title"],
                partner_organisations="\n".join(spec["partners"]),
                summary=spec["summary"],
                challenge=spec["challenge"],
                actions=spec["actions"],
                results=spec["results"],
                resources=spec["resources"],
                budget=spec["budget"],
                eu_contribution=spec["eu_contribution"],
                currency="EUR",
                started_on=started_on,
                ended_on=ended_on,
                transferability=spec["transferability"],
                contact_name="",
                contact_email="",
                links="",
                language="en",
                target_groups=[groups[name] for name in spec["target_groups"]],
                commitments=[commitments[number] for number in spec["commitments"]],
            )
        with dated(demo_at(day + timedelta(days=3)), *reviewed):
            services.practice_submit(practice, by=author)
        with dated(demo_at(day + timedelta(days=17)), *reviewed):
            practice = services.practice_publish(practice, by=experts[spec["scheme"]])
        practices[spec["key"]] = (practice, True)
    return practices


def _toolkits(
    schemes: dict[str, Scheme],
    experts: dict[str, User],
    practices: dict[str, tuple[GoodPractice, bool]],
) -> None:
    """A toolkit per scheme with its practices in order, published as edition 1."""
    existing = set(
        Toolkit.objects.filter(
            slug__in=[slug_from(spec["title"], max_length=200) for spec in TOOLKITS.values()]
        ).values_list("slug", flat=True)
    )
    for code, spec in TOOLKITS.items():
        if slug_from(spec["title"], max_length=200) in existing:
            continue
        expert = experts[code]
        with dated(demo_at(ASSEMBLED), (Toolkit, "created_at"), (Toolkit, "updated_at")):
            toolkit = services.toolkit_create(
                scheme=schemes[code],
                by=expert,
                title=spec["title"],
                introduction=spec["introduction"],
                language="en",
            )
            chosen = [practices[key][0] for key in spec["practices"]]
            services.toolkit_set_practices(
                toolkit,
                by=expert,
                practices=[p for p in chosen if p.status == PracticeStatus.PUBLISHED],
            )
            services.toolkit_set_success_factors(toolkit, by=expert, factors=spec["factors"])
        services.edition_publish(toolkit, by=expert, notes=EDITION_NOTES, published_on=PUBLISHED)


register(
    DemoStep(
        "toolkits",
        70,
        lambda run: seed_demo_toolkits(
            run.made["programme"], run.made["schemes"], password_hash=demo_password_hash()
        ),
        without="toolkits",
        help="Leave out the demo good practices and toolkits.",
    )
)

register(
    DemoStep(
        "agir-toolkits",
        170,
        seed_agir_toolkits,
        without="second-programme",
        help="Leave out the second demo programme, ICP AGIR.",
    )
)
