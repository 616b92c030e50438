/* Charts of the dashboards. Each <canvas data-chart="…" data-src="/api/v1/…"> is drawn
 * from the read-only JSON API once Chart.js is there (from the CDN or, failing that, the
 * local copy). Every chart has a data table beside it, so nothing depends on this file. */
(function () {
  "use strict";

  var FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var COLOURS = { green: "#1a7f37", yellow: "#bf8700", red: "#cf222e", grey: "#8c959f" };
  var LABELS = { green: "达标", yellow: "预警", red: "未达标", grey: "未报送" };

  function whenChart(callback) {
    if (window.Chart) return callback();
    window.addEventListener("hy:chart-ready", callback, { once: true });
  }

  function monthLabel(m) {
    return parseInt(m.slice(5), 10) + "月";
  }

  function fail(canvas, message) {
    var p = document.createElement("p");
    p.className = "empty";
    p.textContent = message;
    canvas.parentNode.style.height = "auto";
    canvas.parentNode.replaceChild(p, canvas);
  }

  function done(canvas) {
    canvas.setAttribute("data-drawn", "1");
  }

  var draw = {
    /* City counts per action area, stacked: green / yellow / red / grey. */
    areas: function (canvas, data) {
      var keys = ["green", "yellow", "red", "grey"];
      return new Chart(canvas, {
        type: "bar",
        data: {
          labels: data.areas.map(function (a) { return a.name; }),
          datasets: keys.map(function (k) {
            return { label: LABELS[k], data: data.areas.map(function (a) { return a[k]; }), backgroundColor: COLOURS[k] };
          })
        },
        options: {
          indexAxis: "y",
          scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } },
          plugins: { legend: { position: "bottom" } }
        }
      });
    },

    /* The city's value month by month, the target (or band) and the expected pace. */
    trend: function (canvas, data) {
      var labels = data.months.map(monthLabel);
      var sets = [{
        label: "全市",
        data: data.city,
        borderColor: "#0b4f9c",
        backgroundColor: "#0b4f9c",
        pointBackgroundColor: data.status.map(function (s) { return COLOURS[s]; }),
        pointRadius: 5,
        spanGaps: true
      }];
      if (data.low !== null && data.high !== null) {
        sets.push({ label: "目标下限", data: labels.map(function () { return data.low; }), borderColor: COLOURS.green, borderDash: [6, 4], pointRadius: 0 });
        sets.push({ label: "目标上限", data: labels.map(function () { return data.high; }), borderColor: COLOURS.green, borderDash: [6, 4], pointRadius: 0, fill: "-1", backgroundColor: "rgba(26,127,55,0.08)" });
      } else if (data.target_line.some(function (v) { return v !== null; })) {
        sets.push({ label: "年度目标", data: data.target_line, borderColor: COLOURS.green, borderDash: [6, 4], pointRadius: 0 });
      }
      if (data.pace) {
        sets.push({ label: "时序进度", data: data.pace, borderColor: COLOURS.yellow, borderDash: [2, 3], pointRadius: 0 });
      }
      return new Chart(canvas, {
        type: "line",
        data: { labels: labels, datasets: sets },
        options: {
          plugins: { legend: { position: "bottom" } },
          scales: { y: { title: { display: !!data.unit, text: data.unit } } }
        }
      });
    },

    /* Each unit's value in the latest month, best first, coloured by status. */
    units: function (canvas, data) {
      var rows = data.units.filter(function (u) { return typeof u.value === "number"; });
      if (!rows.length) return fail(canvas, "本月还没有单位报送数值。");
      canvas.parentNode.style.height = Math.max(120, rows.length * 26 + 70) + "px";
      return new Chart(canvas, {
        type: "bar",
        data: {
          labels: rows.map(function (u) { return u.name; }),
          datasets: [{
            label: data.name + (data.period ? "(" + data.period + ")" : ""),
            data: rows.map(function (u) { return u.value; }),
            backgroundColor: rows.map(function (u) { return COLOURS[u.status]; }),
            maxBarThickness: 22
          }]
        },
        options: {
          indexAxis: "y",
          plugins: { legend: { display: false }, tooltip: { callbacks: { afterLabel: function (c) { return LABELS[rows[c.dataIndex].status]; } } } },
          scales: { x: { title: { display: !!data.unit, text: data.unit } } }
        }
      });
    },

    /* A unit's share of green targets month by month (data embedded in the page). */
    share: function (canvas, data) {
      return new Chart(canvas, {
        type: "line",
        data: {
          labels: data.months.map(monthLabel),
          datasets: [{ label: "达标占比(%)", data: data.share, borderColor: COLOURS.green, backgroundColor: COLOURS.green, spanGaps: true }]
        },
        options: { scales: { y: { min: 0, max: 100 } }, plugins: { legend: { position: "bottom" } } }
      });
    }
  };

  function render(canvas) {
    var kind = canvas.getAttribute("data-chart");
    var embedded = canvas.getAttribute("data-json");
    var source = embedded
      ? Promise.resolve(JSON.parse(document.getElementById(embedded).textContent))
      : fetch(canvas.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.json().then(function (body) { if (!r.ok) throw new Error(body.error || r.status); return body; }); });
    source
      .then(function (data) { draw[kind](canvas, data); done(canvas); })
      .catch(function (e) { fail(canvas, "图表未能加载(" + e.message + "),请查看下方数据表。"); });
  }

  whenChart(function () {
    Chart.defaults.font.family = FONT;
    Chart.defaults.font.size = 13;
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    document.querySelectorAll("canvas[data-chart]").forEach(render);
  });
})();
