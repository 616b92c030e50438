"""督查督办: supervision orders (督办单) about red targets and findings, the units'
answers with evidence, review, 销号, the rules that propose orders, and findings."""
