-- The last 30 days of events, counted back from the latest event in the warehouse, newest first.
-- key: event_id_cnty
SELECT
    event_id_cnty,
    event_date,
    sub_event_type,
    actor1,
    actor2,
    country,
    admin1,
    location,
    fatalities,
    n_sources,
    notes
FROM core.events
WHERE event_date > (SELECT max(event_date) FROM core.events) - INTERVAL 30 DAY
ORDER BY event_date DESC, event_id_cnty
