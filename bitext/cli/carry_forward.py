"""What ``bitext add ORIGINAL --work --version`` says of the draft translations carried
forward to the new version: the counts, the draft's name, and what is left to translate."""

from bitext.cli.output import terminal_safe
from bitext.services.carry_forward import CarriedDraft

_SHOWN = 60  # characters of a paragraph shown in the to-do list


def print_drafts(drafts: list[CarriedDraft]) -> None:
    if not drafts:
        print("no translation yet (no earlier version has one to carry forward)")
    for draft in drafts:
        print(f"carried forward {draft.source} (version {draft.previous}): "
              f"{draft.result.summary()}")
        if draft.added is None:
            print("nothing carried, so no draft was made")
        else:
            print(f"draft translation: {draft.added.slug} ({draft.added.status})")
        for unit in draft.result.listed:
            numbers = ", ".join(f"¶{j + 1}" for j in unit.new)
            was = f" (was: {_short(unit.suggestion[0])})" if unit.suggestion else ""
            print(f"  to translate, {unit.status} {numbers}: {_short(draft.original(unit))}"
                  f"{was}")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return terminal_safe(text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…")
