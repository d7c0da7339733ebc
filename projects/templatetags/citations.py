"""Where a record was read from: the document, the lines, and the passage itself."""

from django import template

register = template.Library()


@register.inclusion_tag("components/source_passage.html")
def source_passage(record, label=""):
    """Show the document and lines a cited record comes from, with the passage in place.

    The record's document must come from SourceDocument.objects.attach_to (or
    with_public_lines): only its `public_lines`, without personal data, are ever shown.
    """
    if not (record.document_id and record.first_line):
        return {}
    first_line = record.first_line
    last_line = record.last_line or first_line
    document = record.document
    return {
        "document": document,
        "first_line": first_line,
        "last_line": last_line,
        "passage": "\n".join(document.public_lines[first_line - 1 : last_line]),
        "label": label,
    }
