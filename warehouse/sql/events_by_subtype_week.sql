-- Events and fatalities per ISO week (Monday) and sub-event type.
-- key: week, event_type, sub_event_type
SELECT
    date_trunc('week', event_date)::DATE AS week,
    event_type,
    sub_event_type,
    count(*) AS events,
    sum(fatalities)::BIGINT AS fatalities
FROM core.events
GROUP BY ALL
ORDER BY week, event_type, sub_event_type
