"""What the apps register: each describes, in a `PersonalDataSource`, what it holds about a person."""

from dataclasses import dataclass, field


@dataclass
class Found:
    """One kind of record an app holds about the person: a label and one line per record."""

    code: str
    label: str
    items: list = field(default_factory=list)
    internal: bool = False  # shown to the privacy officer, not on the person's own page

    @property
    def count(self):
        return len(self.items)


@dataclass
class Erased:
    """What an erasure did to one kind of record."""

    code: str
    label: str
    deleted: int = 0
    anonymised: int = 0

    @property
    def count(self):
        return self.deleted + self.anonymised


class PersonalDataSource:
    """What one app holds about a person. Subclass it in `<app>/privacy.py` and register an instance
    from the app's `ready()` with `website.privacy.register()`.

    `erase` deletes what exists only for the person and anonymises, in place, what the network keeps
    for its figures (no name, address, phone, needs or free text left). It runs inside the erasure's
    transaction and should scrub the admin log of the objects it changes (`forget_log_entries`)."""

    name = ""  # the key of this app's part in the export
    label = ""  # shown on screens

    def find(self, email):
        """[Found]: what exists for `email` (already normalised)."""
        raise NotImplementedError

    def export(self, email):
        """A JSON-serialisable dict of everything held for `email`."""
        raise NotImplementedError

    def erase(self, email):
        """[Erased]: delete or anonymise everything held for `email`."""
        raise NotImplementedError


_registry = {}


def register(source):
    _registry[source.name] = source
    return source


def registered():
    """The apps' sources, in registration order."""
    return list(_registry.values())
