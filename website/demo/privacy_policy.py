"""The demo's privacy policy (Law 25): the editor's text. The page adds who is responsible and the
retention periods from the settings (website.models.privacy)."""

from website.demo.pages import child_page, heading, paragraph
from website.models import PrivacyPolicyPage

INTRO = (
    "Le réseau recueille le moins de renseignements personnels possible, seulement pour les fins "
    "annoncées, et les efface quand ils ne servent plus. Voici ce que nous recueillons, pourquoi, qui "
    "y a accès, combien de temps nous le gardons et comment exercer vos droits, comme le prévoit la "
    "Loi sur la protection des renseignements personnels dans le secteur privé (Loi 25)."
)

# (heading, HTML) of each section, in order.
SECTIONS = [
    (
        "Ce que chaque formulaire recueille, et pourquoi",
        "<ul>"
        "<li><b>Infolettre</b> : votre courriel, et si vous les donnez votre prénom et votre organisme, "
        "la langue et les thèmes choisis; la date, le formulaire, le texte accepté et l'adresse IP de "
        "votre consentement. Pour vous envoyer l'infolettre et prouver que vous l'avez demandée.</li>"
        "<li><b>Publier une annonce au babillard</b> : le nom de la personne-ressource, son courriel, "
        "son téléphone (affiché seulement si vous le demandez), l'organisme, l'annonce et son image. "
        "Pour confirmer et modérer l'annonce, vous transmettre les messages et vous rappeler son "
        "expiration. Votre courriel n'est jamais affiché.</li>"
        "<li><b>Écrire à une personne par le babillard</b> : votre nom, votre organisme, votre courriel "
        "et votre message, transmis à la personne qui a publié l'annonce pour qu'elle vous réponde.</li>"
        "<li><b>Signaler une annonce</b> : votre courriel et le motif, vus seulement par l'équipe, pour "
        "éviter les signalements en double.</li>"
        "<li><b>Alertes du babillard</b> : votre courriel, vos critères et votre consentement, pour vous "
        "envoyer les nouvelles annonces qui y correspondent.</li>"
        "<li><b>Inscription à un événement</b> : le nom et le courriel de la personne responsable, "
        "l'organisme, le nombre de places, les noms des participantes et participants, les restrictions "
        "alimentaires, les besoins d'accessibilité et les réponses aux questions de l'événement. Pour "
        "organiser l'événement et vous écrire à son sujet; les besoins ne sont vus que par l'équipe "
        "qui l'organise.</li>"
        "<li><b>Demande d'accompagnement</b> : l'organisme, la personne-ressource, ses coordonnées, la "
        "région et le projet, pour que l'équipe communique avec vous.</li>"
        "</ul>",
    ),
    (
        "Ce que nous ne faisons pas",
        "<p>Nous ne vendons ni ne louons aucun renseignement. Nous ne les communiquons qu'aux "
        "fournisseurs qui nous permettent d'offrir le service (hébergement, envoi des courriels), "
        "liés par contrat à la même confidentialité. L'infolettre ne mesure pas les ouvertures ni les "
        "clics, sauf pour un numéro où l'équipe l'a activé. Le site n'utilise aucun témoin (cookie) "
        "publicitaire ou de mesure d'audience.</p>",
    ),
    (
        "Qui y a accès",
        "<p>Seuls les membres de l'équipe qui en ont besoin pour leur tâche, chacun selon son rôle : "
        "la modération du babillard, les inscriptions aux événements, l'infolettre.</p>",
    ),
    (
        "Vos droits",
        "<p>Vous pouvez demander à consulter les renseignements que nous avons à votre sujet, les "
        "faire corriger, retirer votre consentement, les recevoir dans un format structuré (un fichier "
        "JSON) et les faire effacer. Le lien « Mes préférences » présent dans chaque infolettre permet "
        "de télécharger vos données et de les effacer vous-même; sinon, écrivez à la personne "
        "responsable nommée plus haut. Nous répondons dans les 30 jours.</p>"
        "<p>Une adresse effacée n'est gardée que sous forme d'empreinte chiffrée, qui ne permet pas de "
        "la retrouver : elle empêche seulement qu'une inscription ou une importation la rajoute. Pour "
        "vous abonner de nouveau, écrivez à la personne responsable.</p>"
        "<p>Si notre réponse ne vous satisfait pas, vous pouvez vous adresser à la Commission d'accès "
        "à l'information du Québec.</p>",
    ),
    (
        "Incidents de confidentialité",
        "<p>Nous tenons un registre des incidents de confidentialité. Si un incident présente un "
        "risque de préjudice sérieux, nous en avisons la Commission d'accès à l'information et les "
        "personnes concernées.</p>",
    ),
]


def seed_privacy_policy(home):
    body = []
    for title, html in SECTIONS:
        body += [heading(title), paragraph(html)]
    return child_page(
        home,
        PrivacyPolicyPage,
        "politique-de-confidentialite",
        title="Politique de confidentialité",
        intro=INTRO,
        body=body,
    )
