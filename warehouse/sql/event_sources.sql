-- The documents and sentences behind each event: one row per event and source document.
-- key: event_id_cnty, doc_id
SELECT
    e.event_id_cnty,
    e.event_date,
    e.sub_event_type,
    e.country,
    e.location,
    m.doc_id,
    d.path,
    d.line,
    d.title,
    d.source,
    d.published,
    m.evidence,
    m.evidence_start,
    m.evidence_end,
    m.extractor_version
FROM core.events e
JOIN core.event_mentions m
    ON m.event_date = e.event_date
    AND m.sub_event_type = e.sub_event_type
    AND m.country IS NOT DISTINCT FROM e.country
    AND m.location IS NOT DISTINCT FROM e.location
    AND m.actor1 IS NOT DISTINCT FROM e.actor1
    AND list_contains(e.doc_ids, m.doc_id)
JOIN raw.documents d ON d.doc_id = m.doc_id
ORDER BY e.event_date, e.event_id_cnty, d.published NULLS LAST, m.doc_id
