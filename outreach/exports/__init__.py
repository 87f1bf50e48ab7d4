"""The outreach app's workbooks that are not list exports: the register's import
template and the boards (coverage per period, the study year board), built in memory by
`portal.spreadsheets.build_xlsx`, which keeps formula-looking text as text. The lists
(register, returned-overseas, contacts, suggestions, reserve) are registered exports:
`outreach.exporting`."""
