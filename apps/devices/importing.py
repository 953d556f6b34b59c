"""Reading a donor's inventory list (CSV or XLSX) into device rows.

Donors send what their own tools export: French or English column names, commas or
semicolons, UTF-8 or Windows-1252, "8 Go" or "8". This module turns such a file into
``(row_number, fields)`` pairs, numbered as the spreadsheet shows them (the header is
row 1), and collects every problem instead of stopping at the first one. It writes nothing.
"""

import csv
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext as _

from .choices import ConditionGrade, DeviceKind, StorageType

MAX_ROWS = 20_000
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024


def normalise(text):
    """'Numéro de série ' -> 'numerodeserie': accents, case, spaces and signs do not matter."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


COLUMN_ALIASES = {
    "kind": ["kind", "type", "categorie", "typedequipement", "typeequipement", "equipement"],
    "brand": ["brand", "marque", "fabricant", "manufacturer", "constructeur"],
    "model": ["model", "modele"],
    "serial_number": [
        "serialnumber",
        "serial",
        "numerodeserie",
        "numeroserie",
        "noserie",
        "nserie",
        "ndeserie",
        "sn",
        "ns",
    ],
    "cpu": ["cpu", "processeur", "processor"],
    "ram_gb": ["ramgb", "ram", "ramgo", "memoire", "memoirego", "memoirevive", "memoirevivego", "memory"],
    "storage_gb": [
        "storagegb",
        "storage",
        "stockage",
        "stockagego",
        "disque",
        "disquego",
        "disquedur",
        "disquedurgo",
        "capacite",
    ],
    "storage_type": ["storagetype", "typedestockage", "typestockage", "typededisque", "typedisque"],
    "operating_system": ["operatingsystem", "os", "systeme", "systemedexploitation"],
    "condition": ["condition", "etat", "grade"],
    "weight_kg": ["weightkg", "weight", "poids", "poidskg"],
    "location": ["location", "emplacement", "rangement"],
    "notes": ["notes", "note", "remarques", "remarque", "commentaire", "commentaires"],
}
COLUMN_BY_ALIAS = {alias: name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}

KIND_ALIASES = {
    DeviceKind.DESKTOP: [
        "desktop",
        "fixe",
        "pcfixe",
        "ordinateurfixe",
        "unitecentrale",
        "uc",
        "tour",
        "pcdebureau",
        "ordinateurdebureau",
    ],
    DeviceKind.LAPTOP: ["laptop", "portable", "pcportable", "ordinateurportable", "notebook"],
    DeviceKind.ALL_IN_ONE: ["allinone", "toutenun"],
    DeviceKind.SCREEN: ["screen", "ecran", "moniteur", "monitor"],
    DeviceKind.TABLET: ["tablet", "tablette"],
    DeviceKind.PERIPHERAL: [
        "peripheral",
        "peripherique",
        "clavier",
        "souris",
        "keyboard",
        "mouse",
        "imprimante",
    ],
}
STORAGE_TYPE_ALIASES = {
    StorageType.HDD: ["hdd", "disquedur", "harddisk", "mecanique"],
    StorageType.SSD: ["ssd"],
    StorageType.NVME: ["nvme", "ssdnvme", "m2"],
    StorageType.EMMC: ["emmc", "flash"],
}


def _choice_lookup(aliases):
    lookup = {}
    for value, names in aliases.items():
        for name in [*names, value.value, value.label]:
            lookup[normalise(name)] = value.value
    return lookup


KIND_LOOKUP = _choice_lookup(KIND_ALIASES)
STORAGE_TYPE_LOOKUP = _choice_lookup(STORAGE_TYPE_ALIASES)
CONDITION_VALUES = frozenset(ConditionGrade.values)

# A file repeats the same few kinds, sizes and weights on every row: each distinct text
# is read once. Only the value is cached, never a (translated) message.
_CACHE_SIZE = 4096


@lru_cache(maxsize=_CACHE_SIZE)
def _kind_value(text):
    return KIND_LOOKUP.get(normalise(text))


@lru_cache(maxsize=_CACHE_SIZE)
def _storage_type_value(text):
    return STORAGE_TYPE_LOOKUP.get(normalise(text), "")


@dataclass
class ParsedFile:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)

    def error(self, row, column, message):
        self.errors.append({"row": row, "field": column, "message": message})


def read_device_file(content, filename):
    """Parse ``content`` (bytes of a .csv or .xlsx file) into device rows and errors."""
    parsed = ParsedFile()
    if not content:
        parsed.error(0, "file", _("The file is empty."))
        return parsed
    if filename.lower().endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        table = _xlsx_table(content, parsed)
    else:
        table = _csv_table(content, parsed)
    if table is not None:
        _read_table(table, parsed)
    return parsed


def _csv_table(content, parsed):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = None
    if text is None or "\x00" in text:
        parsed.error(
            0, "file", _("The file's encoding cannot be read: save it as CSV in UTF-8 (or Windows-1252).")
        )
        return None
    first_line = text.lstrip().splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t", key=first_line.count)
    try:
        # newline="": the csv module splits the lines itself, so that a file from an old Mac
        # (bare carriage returns) reads as lines rather than failing as one long line.
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        parsed.error(0, "file", _("This CSV file cannot be read: %(problem)s.") % {"problem": exc})
        return None


def _xlsx_table(content, parsed):
    import openpyxl  # defusedxml, when installed, makes openpyxl refuse hostile XML

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNCOMPRESSED:
                parsed.error(0, "file", _("The spreadsheet is too large once unpacked."))
                return None
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable archive is the same problem for the user
        parsed.error(0, "file", _("This is not a readable XLSX spreadsheet."))
        return None
    sheet = workbook.worksheets[0]
    # Some writers record a wrong sheet size; read what is there rather than trust it.
    sheet.reset_dimensions()
    table = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return table


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_table(table, parsed):
    # Leading blank lines are common in hand-made sheets; the header is the first non-empty row.
    start = next((i for i, row in enumerate(table) if any(str(c).strip() for c in row)), None)
    if start is None:
        parsed.error(0, "file", _("The file is empty."))
        return
    header = table[start]
    columns = []
    for cell in header:
        name = COLUMN_BY_ALIAS.get(normalise(cell))
        if name is None and str(cell).strip():
            parsed.ignored_columns.append(str(cell).strip())
        columns.append(name)
    if "kind" not in columns:
        parsed.error(
            start + 1, "kind", _("The file needs a column “type” (or “kind”) saying what each device is.")
        )
        return
    for index, row in enumerate(table[start + 1 :], start=start + 2):
        if not any(str(c).strip() for c in row):
            continue
        if len(parsed.rows) >= MAX_ROWS:
            parsed.error(
                index,
                "file",
                _("Too many rows: import at most %(max)d devices at a time.") % {"max": MAX_ROWS},
            )
            return
        values = {name: str(cell).strip() for name, cell in zip(columns, row, strict=False) if name}
        fields = _convert_row(index, values, parsed)
        if fields is not None:
            parsed.rows.append((index, fields))
    if not parsed.rows and not parsed.errors:
        parsed.error(0, "file", _("The file has no device rows."))


def _convert_row(row, values, parsed):
    errors_before = len(parsed.errors)
    fields = {
        name: values.get(name, "")
        for name in ("brand", "model", "serial_number", "cpu", "operating_system", "location", "notes")
    }
    kind = _kind_value(values.get("kind", ""))
    if kind is None:
        parsed.error(
            row,
            "kind",
            _("Unknown kind “%(value)s”: use desktop, laptop, all-in-one, screen, tablet or peripheral.")
            % {"value": values.get("kind", "")},
        )
    fields["kind"] = kind
    fields["ram_gb"] = _quantity(row, "ram_gb", values.get("ram_gb", ""), parsed)
    fields["storage_gb"] = _quantity(row, "storage_gb", values.get("storage_gb", ""), parsed)
    storage_type = values.get("storage_type", "")
    fields["storage_type"] = _storage_type_value(storage_type) if storage_type else ""
    if storage_type and not fields["storage_type"]:
        parsed.error(row, "storage_type", _("Unknown storage type “%(value)s”.") % {"value": storage_type})
    condition = values.get("condition", "").strip().lower()
    if condition and condition not in CONDITION_VALUES:
        parsed.error(
            row, "condition", _("Unknown condition “%(value)s”: use A, B, C or D.") % {"value": condition}
        )
    fields["condition"] = condition if condition in CONDITION_VALUES else ""
    fields["weight_kg"] = _weight(row, values.get("weight_kg", ""), parsed)
    return fields if len(parsed.errors) == errors_before else None


_QUANTITY = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(go|gb|g|to|tb|t|mo|mb)?\s*$", re.IGNORECASE)


def _quantity(row, column, text, parsed):
    """'8', '8 Go', '512GB', '1 To' -> gigabytes as an integer; '' -> unknown."""
    if not text:
        return None
    gigabytes = _gigabytes(text)
    if gigabytes is None:
        parsed.error(row, column, _("“%(value)s” is not a size in GB.") % {"value": text})
    return gigabytes


@lru_cache(maxsize=_CACHE_SIZE)
def _gigabytes(text):
    match = _QUANTITY.match(text)
    if not match:
        return None
    number = float(match.group(1).replace(",", "."))
    if not math.isfinite(number):  # 400 digits read as infinity
        return None
    unit = (match.group(2) or "g").lower()
    if unit in {"to", "tb", "t"}:
        number *= 1000
    elif unit in {"mo", "mb"}:
        number /= 1000
    # A drive of a few hundred MB is still a drive to erase: 0 would mean "no drive".
    return 1 if 0 < number < 1 else round(number)


def _weight(row, text, parsed):
    if not text:
        return None
    weight = _kilograms(text)
    if weight is None:
        parsed.error(row, "weight_kg", _("“%(value)s” is not a weight in kg.") % {"value": text})
        return None
    if weight < 0:
        parsed.error(row, "weight_kg", _("The weight cannot be negative."))
        return None
    return weight


@lru_cache(maxsize=_CACHE_SIZE)
def _kilograms(text):
    cleaned = re.sub(r"\s*kg\s*$", "", text, flags=re.IGNORECASE).replace(",", ".")
    try:
        weight = Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    # "NaN" is a Decimal too, and one that cannot even be compared with zero.
    return weight if weight.is_finite() else None
