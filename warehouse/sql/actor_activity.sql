-- Every actor's events, as actor1 or actor2: count, fatalities, countries, first and last date.
-- key: actor
WITH roles AS (
    SELECT actor1 AS actor, inter1 AS inter, 'actor1' AS role, * EXCLUDE (actor1, inter1) FROM core.events
    UNION ALL BY NAME
    SELECT actor2 AS actor, inter2 AS inter, 'actor2' AS role, * EXCLUDE (actor2, inter2) FROM core.events
    WHERE actor2 IS NOT NULL
)
SELECT
    actor,
    any_value(inter) AS inter,
    count(*) AS events,
    count(*) FILTER (WHERE role = 'actor1') AS as_actor1,
    count(*) FILTER (WHERE role = 'actor2') AS as_actor2,
    sum(fatalities)::BIGINT AS fatalities,
    string_agg(DISTINCT country, ', ' ORDER BY country) AS countries,
    min(event_date) AS first_event,
    max(event_date) AS last_event
FROM roles
GROUP BY actor
ORDER BY events DESC, actor
