"""The build compiles the gettext catalogues (evaluator/locale/*/LC_MESSAGES/*.po) to the
`.mo` files the run reads (evaluator.render.i18n), with Babel: a wheel carries them, an
editable install (`pip install -e .`, `make demo`) finds them beside the `.po`. Nothing to
run by hand; `make messages` re-extracts the catalogue template after a change of words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogues(root: Path) -> list[Path]:
    """Compile every `.po` under evaluator/locale to its `.mo`; the `.mo` files made."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    made = []
    for po in sorted((root / "evaluator" / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as file:
            catalogue = read_po(file, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as file:
            write_mo(file, catalogue, use_fuzzy=False)
        made.append(mo)
    return made


class CatalogueHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "catalogues"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name not in ("wheel", "editable"):
            return
        root = Path(self.root)
        for mo in compile_catalogues(root):
            # The .mo is not in git (.gitignore), which hatch would follow: include it.
            build_data["force_include"][str(mo)] = str(mo.relative_to(root))
