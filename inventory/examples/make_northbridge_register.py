"""Write ``northbridge-register.xlsx``: a council register as many councils really keep it.

Northbridge's register has no id column at all: systems are known by their names, a "Depends On"
cell names other systems by name (in whatever case the author typed), and an Interfaces sheet
names both ends by name. Names carry apostrophes, ampersands and suppliers in brackets.
``northbridge-register-mapping.yaml`` is all the importer needs to read it.

Run ``python inventory/examples/make_northbridge_register.py`` to regenerate the workbook.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HEADERS = (
    "System Name", "Directorate", "System Owner", "Supplier", "Where Hosted", "Business Criticality",
    "Holds Personal Data", "Annual Cost", "Contract Ends", "Depends On", "Notes",
)

SYSTEMS = (
    ("Children's Social Care", "Children's Services", "Head of Children's Social Care", "CareWorks", "Town Hall server room",
     "Critical", "Yes", "£182,000", dt.date(2027, 8, 31), "Council Tax (Capita); single sign-on (SSO); Document Store", "Case records"),
    ("Adults' Social Care", "Adult Social Care", "Head of Adult Social Care", "CareWorks", "Town Hall server room",
     "Critical", "Yes", "£164,500", dt.date(2027, 8, 31), "single sign-on (sso); children's social care (data feed: transitions at 18)", ""),
    ("Council Tax (Capita)", "Revenues & Benefits", "Head of Revenues", "Capita", "Supplier hosted",
     "Critical", "Yes", "£248,000", dt.date(2028, 3, 31), "Revenues & Benefits Document Store; Single Sign-On (sso)", "Annual billing in March"),
    ("Revenues & Benefits Document Store", "Revenues & Benefits", "Head of Revenues", "DocuStream", "Town Hall server room",
     "Important", "Yes", "£38,000", dt.date(2026, 12, 31), "", ""),
    ("Document Store", "Corporate", "Head of Information Governance", "DocuStream", "Town Hall server room",
     "Important", "Yes", "£52,000", "31/03/2027", "SINGLE  SIGN-ON (sso)", ""),
    ("Single Sign-On", "Corporate", "Head of ICT", "Microsoft", "Microsoft Azure", "Critical", "No", "£0", None, "", "Entra ID"),
    ("Planning Portal", "Place", "Head of Planning", "Idox", "Supplier hosted", "Important", "Yes", "£61,250", "30/06/2027", "", ""),
    ("Café Bookings", "Leisure", "Leisure Manager", "Bookly", "Cloud (SaaS)", "Low", "Yes", "£4,800", None, "", "Community café room bookings"),
)

INTERFACES = (
    ("From System", "To System", "Interface", "What Flows"),
    ("Planning Portal", "Document Store", "SFTP", "Planning application documents"),
    ("Café Bookings", "Single Sign-On", "SSO", None),
)


def build(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = "About this register"
    notes.append(["Northbridge Borough Council: register of line-of-business systems. Kept by the ICT service desk."])
    notes.append(["Systems are listed by name. Separate several dependencies with a semicolon."])
    systems = book.create_sheet("Systems")
    systems.append(list(HEADERS))
    for row in SYSTEMS:
        systems.append(list(row))
    interfaces = book.create_sheet("Interfaces")
    for row in INTERFACES:
        interfaces.append(list(row))
    fixed = dt.datetime(2026, 11, 1, 9, 0, 0)
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.creator = "Northbridge ICT"
    book.save(path)
    return path


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else here / "northbridge-register.xlsx"))
