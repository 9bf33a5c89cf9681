"""What `kg serve` was started with: the store and every limit, with the defaults the README documents."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.serve.answers import DEFAULT_MAX_BYTES
from kg.serve.workers import DEFAULT_MEMORY_MB
from kg.sparql import MAX_DEPTH, MAX_QUERY_CHARS


@dataclass(frozen=True)
class ServeOptions:
    """What `kg serve` was started with: the store directory and the limits (defaults as documented)."""

    store: str
    timeout: float = 30.0
    max_results: int = 10_000
    allow_update: bool = False
    token: str | None = None
    workers: int = 4
    host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()
    allow_service: tuple[str, ...] = ()
    worker_memory_mb: int = DEFAULT_MEMORY_MB
    max_answer_bytes: int = DEFAULT_MAX_BYTES
    per_client: int | None = None
    max_body_bytes: int = 16 << 20
    max_query_chars: int = MAX_QUERY_CHARS
    max_depth: int = MAX_DEPTH
    max_header_bytes: int = 16 << 10
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    keep_alive: int = 5
    max_connections: int = 256
    token_attempts: int = 5
    extra: dict = field(default_factory=dict, compare=False)
