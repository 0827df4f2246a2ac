"""How Maillon decides that two typed names are the same organisation.

One function, `normalise`, turns a name into its matching key: letters without accents or case,
punctuation as spaces, abbreviations written with dots joined ("O.B.N.L." -> "obnl") and legal suffixes
at the end dropped ("inc.", "OBNL", "enr.", "ltée", "coop"…). "Centre d'action bénévole inc." and
"CENTRE D ACTION BENEVOLE" have the same key. A key is stable: normalising it again changes nothing.

Pure functions only: the models, the services and the data migrations all call these.
"""

import re
import unicodedata

from django.utils.text import slugify

# Words that say what legal form an organisation has, not which one it is; dropped at the end of a name.
LEGAL_SUFFIXES = frozenset(
    {
        "inc",
        "incorporee",
        "incorporated",
        "obnl",
        "osbl",
        "enr",
        "enregistree",
        "ltee",
        "limitee",
        "ltd",
        "limited",
        "coop",
        "senc",
        "senci",
        "sec",
        "cie",
        "corp",
        "llc",
    }
)
# Letters NFKD leaves whole but people type two ways.
LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"}
)
NOT_A_WORD = re.compile(r"[\W_]+")
# Single letters each followed by a dot, at least two: "O.B.N.L.", "s.e.n.c", "S.E.N.C.".
INITIALS = re.compile(r"(?<!\w)(?:[^\W\d_]\.){1,}[^\W\d_](?!\w)\.?")


def _fold(text):
    """Lower case without accents, ligatures spelled out."""
    text = unicodedata.normalize("NFKD", text.translate(LIGATURES)).upper().casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _join_initials(text):
    """ "o.b.n.l. du nord" -> "obnl du nord": an abbreviation written with dots is one word."""
    return INITIALS.sub(lambda match: match.group(0).replace(".", ""), text)


def _key(text):
    words = NOT_A_WORD.sub(" ", _join_initials(_fold(text))).split()
    end = len(words)
    while end > 0 and words[end - 1] in LEGAL_SUFFIXES:
        end -= 1
    # A name that is only a legal form ("Inc.") keeps it: an empty key would match nothing.
    return " ".join(words[:end] or words)


def normalise(name):
    """The matching key of an organisation's name ("" for a name with no letter or digit)."""
    key = _key(name or "")
    # Folding can reveal characters that fold again (rare scripts): repeat until nothing changes.
    for _attempt in range(3):
        again = _key(key)
        if again == key:
            break
        key = again
    return key


def clean_name(name):
    """A typed name as it is kept: spaces collapsed, at most 200 characters."""
    return " ".join((name or "").split())[:200]


def slug_for(name, taken):
    """A readable, unused slug for `name`; `taken(slug)` says whether one is already used."""
    base = (slugify(name)[:100] or "organisme").strip("-") or "organisme"
    slug, number = base, 1
    while taken(slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


def is_organisation_question(clean_name, field_type):
    """Whether a form builder's field asks for the organisation's name ("Nom de l'organisme")."""
    return field_type == "singleline" and ("organisme" in clean_name or "organisation" in clean_name)
