"""`borough inventory mapping --template`: a starter mapping file naming every field and value."""

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.common import cli_command, emit


@cli_command
def mapping(
    template: Annotated[bool, typer.Option("--template", help="Write a starter mapping listing every field and every value.")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to FILE instead of stdout.", show_default=False)] = None,
) -> None:
    """Column mappings for importing a council's own sheet (see inventory/examples/README.md)."""
    from inventory.errors import InventoryError
    from inventory.importing.template import mapping_template

    if not template:
        raise InventoryError("nothing to do", hint="borough inventory mapping --template --output mapping.yaml")
    emit(mapping_template(), output)
