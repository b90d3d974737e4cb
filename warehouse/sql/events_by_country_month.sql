-- Events, fatalities and sources per country and calendar month.
-- key: country, iso, month, event_type
SELECT
    country,
    iso,
    date_trunc('month', event_date)::DATE AS month,
    event_type,
    count(*) AS events,
    sum(fatalities)::BIGINT AS fatalities,
    sum(n_sources)::BIGINT AS mentions
FROM core.events
GROUP BY ALL
ORDER BY month, country, event_type
