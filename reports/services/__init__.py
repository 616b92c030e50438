"""Writes of the report archive, one module by use:

- `build`: build a report version (the one function the tasks and the command call) and
  request a build on the queue;
- `issue`: 送审, 印发 with its 发文字号, and the office's final Word file;
- `corrections`: an accepted correction of a printed month drafts the 更正通知
  (reports.notices) of every issued document that printed it;
- `reminders`: the monthly rhythm: 催报 by every channel, and closing a month;
- `documents`: what they share: formats and renderers, the 公文 head and number, a file
  written whole, the lock of a report's series.

Nothing is re-exported here: import from the module that does the work."""
