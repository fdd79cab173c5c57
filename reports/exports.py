"""The CSV downloads: the same rows, in the same order, as the table on the page."""

from datetime import date

from reports.listings import ParticipantRow, StatesTable

CsvTable = tuple[list[str], list[list[str]]]


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def states_csv(table: StatesTable) -> CsvTable:
    header = ["iso3", "name", "region", "sub_region"]
    for t in table.treaties:
        header += [f"{t.code} status", f"{t.code} entry into force"]
    header.append("obligations")
    rows = [
        [
            r.country.iso3,
            r.country.name,
            r.country.region,
            r.country.sub_region,
            *[v for c in r.cells for v in (c.status.label, _iso(c.known.entry_into_force))],
            r.obligation_label,
        ]
        for r in table.rows
    ]
    return header, rows


def participants_csv(rows: list[ParticipantRow]) -> CsvTable:
    header = ["iso3", "participant", "status", "signature", "consent", "consent type",
              "entry into force", "withdrawal notice", "withdrawal effective"]  # fmt: skip
    body = []
    for r in rows:
        p = r.known
        body.append([
            p.country.iso3, p.country.name, r.status.label,
            _iso(p.signature.action_date if p.signature else None),
            (_iso(p.consent.action_date) or "not on record") if p.consent else "",
            p.consent.get_consent_type_display() if p.consent else "",
            _iso(p.entry_into_force),
            _iso(p.withdrawal.action_date if p.withdrawal else None),
            _iso(p.withdrawal.effective_date if p.withdrawal else None),
        ])  # fmt: skip
    return header, body
