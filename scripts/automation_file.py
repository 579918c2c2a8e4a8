"""Fill in docs/automations/overdue-notice.yaml for one plan and one notification block (a script).

The automation file names its notification block by id, which only the Prefect server that
holds the block knows; this writes a copy with that id (looked up by the block's slug,
`custom-webhook/vptu-thong-bao`) and the plan's code in place, ready for
`prefect automation create --from-file`.

Run (PREFECT_API_URL pointing at the server):
`.venv/bin/python scripts/automation_file.py --block custom-webhook/vptu-thong-bao
--plan gap-mat-2023 --out overdue-notice.yaml`
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from uuid import UUID

from ruamel.yaml import YAML

TEMPLATE = Path(__file__).resolve().parent.parent / "docs" / "automations" / "overdue-notice.yaml"
SEED_PLAN = "gap-mat-2023"  # the plan the template is written for


def filled(template: str, block_id: UUID, plan: str) -> str:
    """The automation file for `plan`, its notices sent through the block `block_id`; the
    template's comments and message layout kept (a round trip through ruamel.yaml)."""
    yaml = YAML()
    yaml.width = 100
    automation = yaml.load(template)
    automation["name"] = automation["name"].replace(SEED_PLAN, plan)
    automation["trigger"]["match"]["prefect.resource.id"] = f"dondoc.plan.{plan}"
    for action in automation["actions"]:
        if action["type"] == "send-notification":
            action["block_document_id"] = str(block_id)
    written = io.StringIO()
    yaml.dump(automation, written)
    return written.getvalue()


def block_id(slug: str) -> UUID:
    """The id of the saved block `type/name` on the current Prefect server."""
    from prefect.blocks.core import Block

    block: Block = Block.load(slug)  # type: ignore[assignment]  # sync here: no event loop
    if block._block_document_id is None:  # a loaded block always has one
        raise LookupError(slug)
    return block._block_document_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--block", required=True, help="khối thông báo: loại/tên, vd. custom-webhook/vptu"
    )
    parser.add_argument("--plan", default=SEED_PLAN, help="mã kế hoạch")
    parser.add_argument("--template", type=Path, default=TEMPLATE)
    parser.add_argument("--out", type=Path, help="tệp ghi ra (mặc định: in ra màn hình)")
    args = parser.parse_args(argv)
    try:
        found = block_id(args.block)
    except ValueError as error:
        print(f"Lỗi: không tìm thấy khối thông báo '{args.block}' ({error})", file=sys.stderr)
        return 2
    text = filled(args.template.read_text(encoding="utf-8"), found, args.plan)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
