"""Recompute-all as the data grows: 1x, 10x, 30x and 100x the real APMBC data.

Synthetic treaties copy APMBC's terms, every State's depositary actions, obligations,
extensions and completions (bulk inserts, inside a transaction rolled back at the end), so
the number of obligations and alerts grows 100-fold while the real records stay untouched.
"""

import time
from datetime import date

import _setup

AS_OF = date(2026, 11, 22)
FACTORS = [1, 10, 30, 100]


class Rollback(Exception):
    pass


def clone_treaties(count: int, start: int) -> None:
    from obligations.models import Completion, Extension, Obligation
    from states.models import DepositaryAction, Treaty, TreatyObligation

    apmbc = Treaty.objects.get(code="APMBC")
    terms = list(TreatyObligation.objects.filter(treaty=apmbc))
    actions = list(DepositaryAction.objects.filter(treaty=apmbc))
    obligations = list(Obligation.objects.filter(treaty=apmbc).exclude(terms__code__startswith="art7"))
    extensions = list(Extension.objects.filter(obligation__in=obligations))
    completions = list(Completion.objects.filter(obligation__in=obligations))
    for index in range(start, start + count):
        treaty = Treaty.objects.get(pk=apmbc.pk)
        treaty.pk = None
        treaty.code = f"SYN{index:04d}"
        treaty.position = 100 + index
        treaty.save()
        new_terms = {}
        for term in terms:
            copy = TreatyObligation(
                **{f.attname: getattr(term, f.attname) for f in term._meta.concrete_fields}
            )
            copy.pk, copy.treaty_id = None, treaty.pk
            copy.save()
            new_terms[term.pk] = copy.pk
        DepositaryAction.objects.bulk_create(
            [DepositaryAction(**{**_fields(a), "id": None, "treaty_id": treaty.pk}) for a in actions]
        )
        new_obligations = Obligation.objects.bulk_create(
            [
                Obligation(
                    **{**_fields(o), "id": None, "treaty_id": treaty.pk, "terms_id": new_terms[o.terms_id]}
                )
                for o in obligations
            ]
        )
        mapping = {old.pk: new.pk for old, new in zip(obligations, new_obligations, strict=True)}
        Extension.objects.bulk_create(
            [
                Extension(**{**_fields(e), "id": None, "obligation_id": mapping[e.obligation_id]})
                for e in extensions
            ]
        )
        Completion.objects.bulk_create(
            [
                Completion(**{**_fields(c), "id": None, "obligation_id": mapping[c.obligation_id]})
                for c in completions
            ]
        )


def _fields(instance) -> dict:  # type: ignore[no-untyped-def]
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def main() -> None:
    _setup.ready()
    from django.db import connection, transaction

    from obligations import services
    from obligations.models import Alert, Obligation

    print(f"database: {connection.vendor}")
    header = ("factor", "obligations", "open alerts", "first run", "unchanged", "ms/1k obl.")
    print("{:>6} {:>11} {:>11} {:>10} {:>10} {:>10}".format(*header))
    try:
        with transaction.atomic():
            made = 1
            for factor in FACTORS:
                clone_treaties(factor - made, made)
                made = factor
                started = time.perf_counter()
                services.obligations_recompute_all(as_of=AS_OF)
                first = time.perf_counter() - started
                started = time.perf_counter()
                services.obligations_recompute_all(as_of=AS_OF)
                again = time.perf_counter() - started
                count = Obligation.objects.count()
                alerts = Alert.objects.filter(resolved_at__isnull=True).count()
                per_thousand = again / count * 1_000_000
                row = (f"{factor}x", count, alerts, f"{first:.2f}s", f"{again:.2f}s", f"{per_thousand:.1f}")
                print("{:>6} {:>11} {:>11} {:>10} {:>10} {:>10}".format(*row))
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
