"""Reading: files, folders, JSON Lines and HTML pages in, `Article` records (or `Skipped` with a reason) out.

No NLP and no RDF here: this stage only decodes, cleans and finds each article's headline, date and URL.
"""

from kg.ingest.files import DEFAULT_MAX_BYTES, IngestError, article_from_html, article_from_text, read_path, read_paths

__all__ = ["DEFAULT_MAX_BYTES", "IngestError", "article_from_html", "article_from_text", "read_path", "read_paths"]
