"""Synthetic ESF project records at any scale, for measuring the portal: see
docs/synthetic-data.md. `generate()` writes them; `PREFIX` and `SOURCE_SLUG` mark them."""

from .loading import PREFIX, SOURCE_SLUG, Refused, counts, generate

__all__ = ["PREFIX", "SOURCE_SLUG", "Refused", "counts", "generate"]
