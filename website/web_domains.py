"""Which organisation an email address belongs to by its domain: the registrable domain (the part a
registrar sells, found with the Public Suffix List) of the address must equal that of the organisation's
website. `mail.example.org` and `www.example.org` share `example.org`; `evil-example.org` and
`example.org.evil.com` do not. Addresses anyone can open (free mail, internet providers) never match."""

import ipaddress
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

_SUFFIXES = PublicSuffixList()  # the list the package ships: nothing is downloaded

# Registrable domains where anyone can get an address or a page: never proof of belonging.
OPEN_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.ca",
        "hotmail.fr",
        "outlook.com",
        "outlook.fr",
        "live.com",
        "live.ca",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "gmx.com",
        "gmx.net",
        "protonmail.com",
        "proton.me",
        "pm.me",
        "mail.com",
        "yandex.com",
        "zoho.com",
        "videotron.ca",
        "videotron.qc.ca",
        "sympatico.ca",
        "bell.net",
        "cogeco.ca",
        "cgocable.ca",
        "globetrotter.net",
        "telus.net",
        "shaw.ca",
        "rogers.com",
        "b2b2c.ca",
        "facebook.com",
        "google.com",
        "wixsite.com",
        "wordpress.com",
    }
)
# Yahoo gives addresses under many country domains (yahoo.ca, yahoo.fr, yahoo.co.uk…).
OPEN_LABELS = frozenset({"yahoo", "ymail", "rocketmail"})


def registrable_domain(host):
    """The registrable domain of `host` in ASCII (IDNA), or "" for no domain: an IP address, a bare
    public suffix, a malformed name."""
    host = (host or "").strip().rstrip(".").lower()
    if not host or len(host) > 253:
        return ""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return ""
    except ValueError:
        pass
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
    return _SUFFIXES.privatesuffix(host) or ""


def is_open(domain):
    return domain in OPEN_DOMAINS or domain.split(".")[0] in OPEN_LABELS


def website_domain(url):
    """The registrable domain of a website's address ("https://www.example.org/fr/" → "example.org"),
    "" if it has none or is one where anyone may have a page or an address."""
    url = (url or "").strip()
    if "://" not in url:
        url = f"//{url}"
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return ""
    domain = registrable_domain(host)
    return "" if not domain or is_open(domain) else domain


def email_domain(email):
    """The registrable domain of an address's domain part, "" if it has none or is an open one."""
    local, at, host = (email or "").strip().rpartition("@")
    if not at or not local:
        return ""
    domain = registrable_domain(host)
    return "" if not domain or is_open(domain) else domain
