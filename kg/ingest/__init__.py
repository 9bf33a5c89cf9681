"""Reading: files, folders, JSON Lines and HTML pages in, `Article` records (or `Skipped` with a reason) out.

No NLP and no RDF here: this stage only decodes, cleans and finds each article's headline, date and URL.
Modules, each importing only those after it: files (walking, reading, decoding bytes) ->
json_records (JSON objects) -> articles (text, Markdown, HTML documents) -> html (taking a page
apart), text (cleaning, paragraphs, Markdown), dates -> boilerplate (the lexicon).
"""

from kg.ingest.articles import IngestError, article_from_html, article_from_text
from kg.ingest.dates import normalize_date
from kg.ingest.files import DEFAULT_MAX_BYTES, read_path, read_paths

__all__ = [
    "DEFAULT_MAX_BYTES",
    "IngestError",
    "article_from_html",
    "article_from_text",
    "normalize_date",
    "read_path",
    "read_paths",
]
