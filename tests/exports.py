"""Helpers for the export tests: the rows a findings view shows, and the exports parsed back."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import openpyxl

BOM = b"\xef\xbb\xbf"


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def view_rows(ds, path: str, query: str) -> list[dict]:
    """Every row the view shows, page after page (following ``next_url``), as Datasette serves them."""
    separator = "&" if query else ""
    url = f"{path}.json?{query}{separator}_shape=objects&_size=max"
    rows = []
    while url:
        response = await ds.client.get(url)
        assert response.status_code == 200, response.text
        data = response.json()
        rows += data["rows"]
        url = local(data["next_url"]) if data.get("next_url") else None
    return rows


def csv_rows(content: bytes) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a CSV, read as Excel reads it: UTF-8 with its BOM."""
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return header, rows


def xlsx_sheet(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]


def xlsx_rows(content: bytes) -> tuple[list[str], list[list[str]]]:
    header, *rows = [[c if c is not None else "" for c in row] for row in xlsx_sheet(content).iter_rows(values_only=True)]
    return header, rows
