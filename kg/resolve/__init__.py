"""Resolution: one article's entities matched to what the store already knows, the gazetteer linked,
stable IRIs minted (`resolver`), the index of what the store knows (`known`), the name helpers both
share (`names`), the packaged gazetteer (`gazetteer`), and the build's record of what each article
said of each entity (`ledger`).
"""

from kg.resolve.known import KnownEntities
from kg.resolve.names import acronym, canonical_label, gazetteer_match, initials, spelling_key
from kg.resolve.resolver import resolve

__all__ = ["KnownEntities", "acronym", "canonical_label", "gazetteer_match", "initials", "resolve", "spelling_key"]
