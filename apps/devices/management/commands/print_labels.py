from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.exceptions import DomainError
from apps.devices import printing
from labels import LAYOUTS


class Command(BaseCommand):
    help = (
        "Write the labels of devices to a PDF (or, for one device, a PNG for a label printer). "
        "Example: print_labels --layout L7160 --output labels.pdf --donation 12"
    )

    def add_arguments(self, parser):
        parser.add_argument("tags", nargs="*", metavar="TAG", help="Asset tags of the devices to label.")
        parser.add_argument("--donation", type=int, metavar="ID", help="Label every device of this donation.")
        parser.add_argument(
            "--layout", required=True, metavar="LAYOUT", help=f"Label layout: {', '.join(LAYOUTS)}."
        )
        parser.add_argument(
            "--output",
            required=True,
            metavar="FILE",
            help="File to write: .pdf, or .png for a single device's label.",
        )
        parser.add_argument(
            "--start",
            type=int,
            default=1,
            metavar="N",
            help="First free label of a partly used sheet, counted from 1 at the top left (default 1).",
        )

    def handle(self, *args, tags, donation, layout, output, start, **options):
        path = Path(output)
        suffix = path.suffix.lower()
        if suffix not in (".pdf", ".png"):
            raise CommandError(f"--output must name a .pdf or .png file, not {output!r}.")
        if tags and donation is not None:
            raise CommandError("Give asset tags or --donation, not both.")
        if not tags and donation is None:
            raise CommandError("No device given: give asset tags or --donation ID.")
        if not path.parent.is_dir():
            raise CommandError(f"Cannot write {output}: folder {path.parent} does not exist.")
        try:
            label_file = printing.print_labels(
                layout=layout,
                start_position=start,
                output_format=suffix[1:],
                asset_tags=printing.parse_tags(" ".join(tags)) if tags else None,
                donation=donation,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        # Written only once rendered: a refused request leaves no half-written file.
        path.write_bytes(label_file.content)
        self.stdout.write(
            self.style.SUCCESS(
                f"{label_file.count} label(s) on {label_file.pages} page(s) of {layout} written to {output}."
            )
        )
