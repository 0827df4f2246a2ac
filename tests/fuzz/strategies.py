"""What a hostile or clumsy client sends: long and strange text, NUL and control characters, numbers too
big for any column, dates that do not exist, wrong types, fields missing or repeated."""

from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

HUGE_ID = "1" + "0" * 39


def fuzz_settings(max_examples):
    """Bounded and reproducible: the same examples on every run (CI included), no example database."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


# Any character a form can carry (surrogates cannot be encoded in a request).
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
control_text = st.text(st.characters(codec="ascii", categories=["Cc"]) | st.sampled_from("\x00\u2028\u202e"))
long_text = st.builds(
    lambda unit, n: unit * n,
    st.sampled_from(["x", "é", "😀", "\x00", " ", "<", "a\n", "%"]),
    st.sampled_from([121, 201, 501, 1001, 5001, 20_000, 200_000]),
)
numbers = st.sampled_from(
    [
        HUGE_ID,
        "-" + HUGE_ID,
        "9" * 30,
        "-1",
        "0",
        "1e400",
        "-1e400",
        "NaN",
        "inf",
        "1.5",
        "0x10",
        " 7 ",
        "²",
        "٣",
        "１２",
    ]
) | st.integers().map(str)
bad_dates = st.sampled_from(
    [
        "2026-02-30",
        "2026-13-01",
        "0000-00-00",
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "-2026-01-01",
        "27/11/2026",
        "2026-1",
        "2026-00",
        "99999999-01",
        "2026-11-27T25:61",
    ]
)
wrong_types = st.sampled_from(["on", "true", "None", "null", "[]", "{}", "[1, 2]", '{"a": 1}', "", " "])
scalar = st.one_of(any_text, control_text, long_text, numbers, bad_dates, wrong_types)
value = scalar | st.lists(scalar, min_size=2, max_size=4)  # a list is the field sent several times


@st.composite
def mutated(draw, valid):
    """`valid` form data with some fields dropped, replaced, repeated, and perhaps a stray field."""
    data = {}
    for name, good in valid.items():
        action = draw(st.sampled_from(["keep", "keep", "replace", "replace", "drop", "repeat"]))
        if action == "keep":
            data[name] = good
        elif action == "replace":
            data[name] = draw(value)
        elif action == "repeat":
            data[name] = [*(good if isinstance(good, list) else [good]), draw(scalar)]
    if draw(st.booleans()):
        data[draw(st.sampled_from(["pk", "id", "state", "secret", "language", "csrfmiddlewaretoken"]))] = (
            draw(value)
        )
    return data


def query(fields):
    """A query string for a filter form with these field names, each missing, hostile or repeated."""
    return st.dictionaries(st.sampled_from([*fields, "page"]), value, max_size=len(fields) + 1)


@st.composite
def malformed_token(draw, valid):
    """Something where a token goes: garbage, or a real token truncated, altered or extended."""
    kind = draw(st.sampled_from(["garbage", "garbage", "truncated", "altered", "extended"]))
    if kind == "garbage":
        token = draw(any_text | control_text | long_text.map(lambda t: t[:3000]) | numbers)
    elif kind == "truncated":
        token = valid[: draw(st.integers(0, len(valid) - 1))]
    elif kind == "altered":
        i = draw(st.integers(0, len(valid) - 1))
        token = valid[:i] + draw(st.characters(codec="ascii", exclude_characters=valid[i])) + valid[i + 1 :]
    else:
        token = valid + draw(any_text)
    token = token.replace("/", "")
    return quote(token, safe="") or "x"
