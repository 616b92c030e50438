"""Report builders: content builders (dispatch.py, bulletin.py) read the data once and
return a `Document` of plain blocks; renderers (docx.py, pdf.py, xlsx.py) turn one
Document into one file and know nothing of the database."""
