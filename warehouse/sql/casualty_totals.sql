-- Fatalities and people counted per country and event type: injured, arrested, detained, released,
-- abducted, displaced, participants (sums of each event's counts).
-- key: country, event_type
WITH per_event AS (
    SELECT
        e.event_id_cnty,
        sum(c.value) FILTER (WHERE c.kind = 'injured') AS injured,
        sum(c.value) FILTER (WHERE c.kind = 'arrested') AS arrested,
        sum(c.value) FILTER (WHERE c.kind = 'detained') AS detained,
        sum(c.value) FILTER (WHERE c.kind = 'released') AS released,
        sum(c.value) FILTER (WHERE c.kind = 'abducted') AS abducted,
        sum(c.value) FILTER (WHERE c.kind = 'displaced') AS displaced,
        sum(c.value) FILTER (WHERE c.kind = 'participants') AS participants
    FROM core.events e, unnest(e.counts) AS u(c)
    GROUP BY e.event_id_cnty
)
SELECT
    e.country,
    e.event_type,
    count(*) AS events,
    sum(e.fatalities)::BIGINT AS fatalities,
    coalesce(sum(p.injured), 0)::BIGINT AS injured,
    coalesce(sum(p.arrested), 0)::BIGINT AS arrested,
    coalesce(sum(p.detained), 0)::BIGINT AS detained,
    coalesce(sum(p.released), 0)::BIGINT AS released,
    coalesce(sum(p.abducted), 0)::BIGINT AS abducted,
    coalesce(sum(p.displaced), 0)::BIGINT AS displaced,
    coalesce(sum(p.participants), 0)::BIGINT AS participants
FROM core.events e
LEFT JOIN per_event p USING (event_id_cnty)
GROUP BY ALL
ORDER BY fatalities DESC, events DESC, country, event_type
