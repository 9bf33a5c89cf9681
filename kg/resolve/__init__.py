"""Resolution: one article's entities matched to what the store already knows, the gazetteer linked,
stable IRIs minted (`resolver`), the packaged gazetteer (`gazetteer`), and the build's record of what
each article said of each entity (`ledger`).
"""

from kg.resolve.resolver import KnownEntities, resolve

__all__ = ["KnownEntities", "resolve"]
