#!/usr/bin/env python3
"""Writes the workshop's steps spreadsheet, tests/fixtures/hotel-steps.csv,
as Excel (.xlsx, openpyxl) and LibreOffice (.ods, odfpy) workbooks, the way
a facilitator saves it: the title in the first row, then the header and a
row per step, scores as numbers. A second sheet, "Notes", comes first in
the .ods so --sheet has something to choose.

    python3 -m venv /tmp/sheets && /tmp/sheets/bin/pip install openpyxl odfpy
    /tmp/sheets/bin/python scripts/make-test-sheets.py
"""
import csv
import pathlib

import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

root = pathlib.Path(__file__).resolve().parent.parent
fixtures = root / "tests" / "fixtures"
with open(fixtures / "hotel-steps.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))


def typed(value):
    """A score stays a number, as a spreadsheet keeps it."""
    try:
        return float(value)
    except ValueError:
        return value


book = openpyxl.Workbook()
sheet = book.active
sheet.title = "Steps"
for row in rows:
    sheet.append([typed(v) if v else None for v in row])
book.save(fixtures / "hotel-steps.xlsx")

doc = OpenDocumentSpreadsheet()
notes = Table(name="Notes")
line = TableRow()
cell = TableCell(valuetype="string")
cell.addElement(P(text="Typed up after the workshop of 3 November"))
line.addElement(cell)
notes.addElement(line)
doc.spreadsheet.addElement(notes)
steps = Table(name="Steps")
for row in rows:
    line = TableRow()
    for v in row:
        t = typed(v) if v else None
        if isinstance(t, float):
            cell = TableCell(valuetype="float", value=t)
            cell.addElement(P(text=v))
        elif t is None:
            cell = TableCell()
        else:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=t))
        line.addElement(cell)
    steps.addElement(line)
doc.spreadsheet.addElement(steps)
doc.save(str(fixtures / "hotel-steps.ods"))
print("wrote hotel-steps.xlsx and hotel-steps.ods")
