"""Pools of realistic French data for the demo workspace (names, communes, projects)."""

from __future__ import annotations

# Who prints the demo's reports (the header of every page), unless the settings say already.
ORGANISATION = "Creuse Entreprendre – association d'accompagnement à la création d'activité"
ADVISOR = "Camille Rivière"

WOMEN = (
    "Zoé",
    "Léa",
    "Chloé",
    "Inès",
    "Maëlle",
    "Anaïs",
    "Hélène",
    "Noémie",
    "Amélie",
    "Céline",
    "Marie-Claire",
    "Anne-Sophie",
    "Josiane",
    "Fatoumata",
    "Aïcha",
    "Océane",
    "Gaëlle",
    "Bérénice",
    "Sandrine",
    "Nathalie",
    "Émilie",
    "Laëtitia",
    "Solène",
    "Yasmina",
    "Françoise",
)
MEN = (
    "Théo",
    "Lucas",
    "Jérôme",
    "François",
    "Noël",
    "Loïc",
    "Benoît",
    "Mickaël",
    "Hervé",
    "Jean-Baptiste",
    "Pierre-Yves",
    "Mamadou",
    "Karim",
    "Gaëtan",
    "Rémi",
    "Sébastien",
    "Joël",
    "Stéphane",
    "Anthony",
    "Maxime",
    "Cédric",
    "Grégoire",
    "Aurélien",
    "Yannick",
)
LAST_NAMES = (
    "Lefèvre",
    "Müller",
    "Dupré",
    "Gauthier",
    "Boucher",
    "Fontaine",
    "Lemaître",
    "Hébert",
    "Bénard",
    "Château",
    "Lacôte",
    "Poirier",
    "Mercier",
    "Aubert",
    "Perrin",
    "Barbier",
    "Noël",
    "Rousseau",
    "Leclerc",
    "Marchand",
    "Giraud",
    "Faure",
    "Chevalier",
    "Lefebvre",
    "Brunet",
    "Benali",
    "Diallo",
    "N'Diaye",
    "Nguyen",
    "da Silva",
    "Le Goff",
    "Saint-Jean",
    "Martin-Dubois",
    "Lambert-Roux",
    "Cœur",
    "Vasseur",
    "Delaunay",
    "Thévenin",
    "Rivière",
)
COMMUNES = (
    ("Guéret", "23000"),
    ("Aubusson", "23200"),
    ("La Souterraine", "23300"),
    ("Bourganeuf", "23400"),
    ("Felletin", "23500"),
    ("Boussac", "23600"),
    ("Auzances", "23700"),
    ("Dun-le-Palestel", "23800"),
    ("Bénévent-l'Abbaye", "23210"),
    ("Ahun", "23150"),
    ("Chambon-sur-Voueize", "23170"),
    ("Évaux-les-Bains", "23110"),
    ("Crocq", "23260"),
    ("Saint-Vaury", "23320"),
    ("Sainte-Feyre", "23000"),
    ("Chénérailles", "23130"),
    ("Royère-de-Vassivière", "23460"),
    ("Grand-Bourg", "23240"),
)
URBAN_COMMUNES = {"Guéret", "La Souterraine", "Aubusson"}
REFERRERS = (
    "France Travail",
    "Mission locale",
    "CCAS",
    "Chambre de métiers",
    "Bouche à oreille",
    "Réunion d'information",
    "Site internet",
    "Mairie",
    "Conseil départemental",
)
PROJECTS = (
    (
        "Boulangerie bio au levain",
        "Boulangerie artisanale en farines locales, pain au levain "
        "cuit au feu de bois, vente sur place et sur deux marchés.",
        "Alimentation",
    ),
    (
        "Coiffure à domicile",
        "Coiffeuse itinérante en camionnette aménagée pour les villages "
        "sans salon, clientèle âgée et familles.",
        "Services à la personne",
    ),
    (
        "Maraîchage biologique",
        "Maraîchage diversifié en agriculture biologique sur deux "
        "hectares, paniers hebdomadaires et vente à la ferme.",
        "Agriculture",
    ),
    (
        "Webdesign en tiers-lieu",
        "Création de sites internet pour artisans et commerçants, "
        "depuis un tiers-lieu rural équipé de la fibre.",
        "Numérique",
    ),
    (
        "Atelier de réparation de vélos",
        "Réparation et vente de vélos d'occasion, ateliers "
        "d'autoréparation et location de vélos à assistance électrique.",
        "Mobilité",
    ),
    (
        "Service d'aide à domicile",
        "Aide ménagère et accompagnement des personnes âgées, agrément services à la personne.",
        "Services à la personne",
    ),
    (
        "Épicerie vrac et café",
        "Épicerie de produits en vrac et locaux avec un coin café, dernier commerce du bourg.",
        "Commerce",
    ),
    (
        "Menuiserie d'agencement",
        "Menuiserie sur mesure, cuisines et agencements intérieurs en bois local.",
        "Artisanat du bâtiment",
    ),
    (
        "Traiteur à la ferme",
        "Traiteur pour mariages et fêtes de village, cuisine de produits fermiers.",
        "Alimentation",
    ),
    ("Garde d'animaux", "Pension et garde d'animaux à domicile, promenades canines.", "Services"),
    (
        "Photographe indépendante",
        "Reportages de mariages, portraits et photographie "
        "d'entreprise pour les artisans du territoire.",
        "Culture",
    ),
    (
        "Camion pizza",
        "Pizzas cuites au feu de bois dans un camion, tournée de cinq villages par semaine.",
        "Restauration",
    ),
    (
        "Électricien rénovation énergétique",
        "Électricité générale et installation de pompes à chaleur, certification RGE.",
        "Artisanat du bâtiment",
    ),
    (
        "Gîte et chambres d'hôtes",
        "Rénovation d'une grange en gîte de groupe et trois chambres d'hôtes près du lac.",
        "Tourisme",
    ),
    (
        "Savonnerie artisanale",
        "Savons saponifiés à froid et cosmétiques naturels vendus en boutique et en ligne.",
        "Artisanat",
    ),
    (
        "Cours de soutien scolaire",
        "Soutien scolaire à domicile et en visioconférence, du primaire au lycée.",
        "Éducation",
    ),
)
LEGAL_FORMS = ("Micro-entreprise", "EURL", "SASU", "SARL", "SCOP", "Entreprise individuelle")
TOPICS = (
    "Premier accueil",
    "Diagnostic du projet",
    "Étude de marché",
    "Analyse de la concurrence",
    "Prévisionnel financier",
    "Choix du statut juridique",
    "Plan de financement",
    "Préparation du comité",
    "Formalités d'immatriculation",
    "Suivi de démarrage",
    "Point trimestriel",
    "Suivi post-création",
)
SUMMARIES = (
    "Échange sur les motivations et le parcours ; le projet est cohérent avec l'expérience.",
    "Travail sur la clientèle cible et les prix pratiqués par les concurrents.",
    "Relecture du prévisionnel : le chiffre d'affaires de l'an 1 reste prudent.",
    "Comparaison des statuts ; la micro-entreprise convient au démarrage.",
    "Préparation des pièces pour le comité de prêt d'honneur.",
    "Bilan des premiers mois : activité conforme, trésorerie à surveiller.",
    "Point sur les devis fournisseurs et le calendrier des travaux.",
    "Entretien téléphonique : relance de la banque pour le prêt complémentaire.",
)
NEXT_ACTIONS = (
    "Compléter l'étude de marché avec dix entretiens clients.",
    "Envoyer les devis et les relevés bancaires.",
    "Prendre rendez-vous avec la banque.",
    "Déposer le dossier d'immatriculation.",
    "Préparer la présentation au comité.",
    "",
)
FUNDERS = (
    ("Initiative Creuse", "honour_loan"),
    ("France Active Limousin", "guarantee"),
    ("Crédit Agricole Centre France", "bank_loan"),
    ("Adie", "microcredit"),
    ("Région Nouvelle-Aquitaine", "grant"),
    ("Banque Populaire", "bank_loan"),
    ("Réseau Entreprendre", "honour_loan"),
    ("Love Money", "equity"),
)
NEEDS = (
    "Matériel professionnel",
    "Véhicule",
    "Travaux d'aménagement",
    "Stock de départ",
    "Frais d'établissement",
    "Besoin en fonds de roulement",
    "Site internet",
)
NOTES = (
    "La personne souhaite démarrer avant l'été ; garde d'enfants à organiser.",
    "Très motivée, bonne connaissance du métier. Réseau local déjà solide.",
    "À orienter vers la formation gestion de la chambre de métiers.",
    "Le conjoint est prêt à investir une partie de ses économies.",
    "Local repéré en centre-bourg, loyer modéré, bail à négocier.",
)

# What a committee file reads about every demo holder (the same for all: demo data).
TRAINING = "Baccalauréat professionnel, puis formation « 5 jours pour entreprendre »."
EXPERIENCE = "Dix ans de salariat dans le métier, dont trois comme responsable d'équipe."
MOTIVATION = "Travailler à son compte dans sa commune et y créer un emploi."
HOUSEHOLD = "En couple, un enfant ; revenus du conjoint pendant le démarrage."
STRENGTHS = "Métier maîtrisé ; clientèle locale identifiée ; apport personnel."
VIGILANCE = "Trésorerie des premiers mois ; saisonnalité de l'activité."
# Loan terms by kind of funding: length (deferral included), deferral, yearly rate.
LOAN_TERMS: dict[str, dict[str, int]] = {
    "honour_loan": {"term_months": 60, "deferral_months": 6},
    "bank_loan": {"term_months": 84, "deferral_months": 3, "annual_rate_basis_points": 420},
    "microcredit": {"term_months": 36, "deferral_months": 0, "annual_rate_basis_points": 750},
}
