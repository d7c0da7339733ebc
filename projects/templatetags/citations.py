"""Where a record was read from: the document, the lines, and the passage itself."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.inclusion_tag("components/source_passage.html")
def source_passage(record, label="", through=None, compact=False):
    """Show the document and lines a cited record comes from, with the passage in place;
    `through`, a later record of the same document, extends it (the rows of a table), and
    `compact` names only the lines until opened (in a table cell).

    The record's document must come from SourceDocument.objects.attach_to (or
    with_public_lines): only its `public_lines`, without personal data, are ever shown.
    """
    if not (record.document_id and record.first_line):
        return {}
    first_line = record.first_line
    last_line = record.last_line or first_line
    if through is not None and through.document_id == record.document_id and through.last_line:
        last_line = max(last_line, through.last_line)
    document = record.document
    return {
        "document": document,
        "first_line": first_line,
        "last_line": last_line,
        "passage": "\n".join(document.public_lines[first_line - 1 : last_line]),
        "label": label,
        "compact": compact,
    }


@register.simple_tag
def numbered_lines(lines):
    """Return a document's lines as list items with ids L1, L2, … for links to land on.

    Joined here rather than in a template loop: the longest document has 4,180 lines.
    """
    return format_html_join("\n", '<li id="L{}">{}</li>', enumerate(lines, start=1))
