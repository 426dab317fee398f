"""Two worker processes racing on the same due publications send each exactly once."""

from __future__ import annotations

import json
import time
from collections import Counter

from django.db import connection

from pregonero.conftest import make_organisation, make_person
from pregonero.publishing import dispatch
from pregonero.publishing.models import Publication, PublicationAttempt, PublicationState
from pregonero.publishing.tests.conftest import make_channel, make_publication, start_worker

PUBLICATIONS = 200


def test_two_workers_racing_on_200_due_publications_send_each_exactly_once(shared_db, sink):
    vilanova = make_organisation("vilanova-de-mar", "Ajuntament de Vilanova de Mar")
    altea = make_organisation("altea", "Ajuntament d'Altea")
    ana = make_person("ana@vilanova.example", "Ana", None, None)
    channels = [
        make_channel(organisation, f"Canal {n}", sink) for organisation in (vilanova, altea) for n in range(2)
    ]
    for index in range(PUBLICATIONS):
        make_publication(channels[index % len(channels)], ana)
    connection.close()

    start_at = str(time.time() + 3)
    workers = [start_worker(shared_db, "loop", name, start_at) for name in ("worker-a", "worker-b")]
    reports = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        reports.append(json.loads(out))

    keys = {dispatch.part_key(publication, 0) for publication in Publication.objects.all()}
    assert sink.calls_per_key() == Counter(dict.fromkeys(keys, 1))
    assert sink.duplicates() == 0
    assert set(Publication.objects.values_list("state", flat=True)) == {PublicationState.SENT}
    assert PublicationAttempt.objects.count() == PUBLICATIONS
    assert sum(sum(report.values()) for report in reports) == PUBLICATIONS
    # Both really raced: each sent some.
    assert set(Publication.objects.values_list("claimed_by", flat=True)) == {"worker-a", "worker-b"}
