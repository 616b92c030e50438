"""The Excel round trip of the entry sheet: `template` writes a unit's template for a month,
`reading` opens an uploaded file safely and reads its cells, `upload` checks it against
the unit-month, all or nothing; `layout` is what both sides share."""
