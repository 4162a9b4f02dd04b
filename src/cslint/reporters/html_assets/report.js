// cslint HTML report. Every string from the run is set as text (textContent / text nodes),
// never parsed as HTML; links are only ever "#..." routes inside this page.
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var PAGE_SIZE = 50;
  var SEV_RANK = { error: 3, warning: 2, info: 1 };
  var SEV_COLOR = { error: "#d92d20", warning: "#f79009", info: "#2e90fa" };
  var convs = DATA.conversations;
  var summary = DATA.summary;
  var card = summary.scorecard;
  var app = document.getElementById("app");
  var byKey = new Map();
  var lastList = null; // the filtered list last shown, for previous / next

  convs.forEach(function (c, i) {
    c.index = i;
    c.sev = { error: 0, warning: 0, info: 0 };
    c.findings.forEach(function (f) { c.sev[f[1]] = (c.sev[f[1]] || 0) + 1; });
    c.worst = c.sev.error ? "error" : c.sev.warning ? "warning" : c.sev.info ? "info" : "";
    var key = c.path + "\u0000" + c.id;
    if (!byKey.has(key)) byKey.set(key, c);
  });

  // ---- building DOM ------------------------------------------------------------------
  function el(tag, attrs) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }
  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "class") node.setAttribute("class", v);
      else if (k === "text") node.textContent = String(v);
      else if (k === "href") node.setAttribute("href", String(v).charAt(0) === "#" ? v : "#");
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, String(v));
    });
  }
  function add(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { add(node, c); }); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  var SVGNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = String(attrs[k]);
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, String(attrs[k]));
    });
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) node.appendChild(arguments[i]);
    return node;
  }
  function fmt(n) { return Number(n).toLocaleString("en-US", { maximumFractionDigits: 2 }); }
  function plural(n, word) { return fmt(n) + " " + word + (n === 1 ? "" : "s"); }
  function scoreClass(c) {
    if (c.critical && c.critical.length) return "bad";
    return c.score >= card.pass_mark ? "good" : c.score >= 50 ? "mid" : "bad";
  }
  function scoreBadge(c, big) {
    return el("span", {
      class: "score " + scoreClass(c) + (big ? " big" : ""),
      title: c.critical && c.critical.length ? "failed: critical rule " + c.critical.join(", ") : "score out of 100",
      text: fmt(c.score)
    });
  }
  function sevBadge(sev) { return el("span", { class: "sev sev-" + sev, text: sev }); }
  function ruleTitle(id) { var r = DATA.rules[id]; return r && r.title ? r.title : id; }

  // ---- routing: #overview, #agents, #conversations?filters, #conversation/PATH/ID ----
  function parseRoute() {
    var hash = location.hash.replace(/^#/, "");
    var q = hash.indexOf("?");
    var path = q < 0 ? hash : hash.slice(0, q);
    var params = new URLSearchParams(q < 0 ? "" : hash.slice(q + 1));
    var parts = path.split("/");
    return { name: parts[0] || "overview", parts: parts.slice(1).map(decodeURIComponent), params: params };
  }
  function convHref(c) { return "#conversation/" + encodeURIComponent(c.path) + "/" + encodeURIComponent(c.id); }
  function listHref(filters) {
    var params = new URLSearchParams();
    Object.keys(filters).forEach(function (k) { if (filters[k] !== "" && filters[k] != null) params.set(k, filters[k]); });
    var s = params.toString();
    return "#conversations" + (s ? "?" + s : "");
  }

  function render() {
    var route = parseRoute();
    document.querySelectorAll(".tabs a").forEach(function (a) {
      var tab = a.getAttribute("data-tab");
      a.classList.toggle("active", tab === route.name || (tab === "conversations" && route.name === "conversation"));
    });
    app.textContent = "";
    var views = { overview: overview, agents: agentsView, conversations: listView, conversation: conversationView };
    (views[route.name] || overview)(route);
    if (route.name !== "conversations") window.scrollTo(0, 0);
  }

  // ---- overview ------------------------------------------------------------------------
  function kpi(key, label, value, sub) {
    return el("div", { class: "card kpi", "data-kpi": key },
      el("div", { class: "label", text: label }), el("div", { class: "value", text: value }),
      sub ? el("div", { class: "sub", text: sub }) : null);
  }

  function overview() {
    var passRate = card.conversations ? Math.round((100 * card.passed) / card.conversations) : 100;
    app.appendChild(el("h1", { text: "Overview" }));
    app.appendChild(el("div", { class: "grid kpis" },
      kpi("conversations", "Conversations", fmt(summary.conversations), plural(summary.files, "file") + ", " + plural(summary.turns, "turn")),
      kpi("agent-turns", "Agent turns", fmt(card.agent_turns),
        summary.conversations ? fmt(Math.round((10 * card.agent_turns) / summary.conversations) / 10) + " per conversation" : null),
      kpi("findings", "Findings", fmt(summary.findings), fmt(card.per_100_agent_turns) + " per 100 agent turns"),
      kpi("mean-score", "Mean score", fmt(card.mean_score), "out of 100"),
      kpi("passed", "Pass rate", passRate + "%", fmt(card.passed) + " of " + fmt(card.conversations) + " pass (score ≥ " + fmt(card.pass_mark) + ")"),
      kpi("critical", "Critical fails", fmt(card.critical_failed), card.critical.length ? "rules: " + card.critical.join(", ") : "no rule marked critical")
    ));
    app.appendChild(el("div", { class: "grid charts" },
      chartCard("Findings by rule", rulesChart(), "Click a bar to see those conversations."),
      chartCard("Findings by severity, and by channel", [severityChart(), channelTable()], null),
      chartCard("Score distribution", distributionChart(), "Conversations per score band; click a band to list them."),
      chartCard("Trends per week", trendChart(DATA.weeks), null)
    ));
    app.appendChild(el("div", { class: "card", style: null },
      el("h2", { text: "How the score is computed" }),
      el("p", { class: "muted", text: "Each conversation starts at 100 and loses points for every finding: " +
        severityWeightsText() + weightsText() + ". " +
        (card.critical.length ? "A finding of a critical rule (" + card.critical.join(", ") + ") fails the conversation (score 0). " : "") +
        "A conversation passes at " + fmt(card.pass_mark) + " or more. Set this in .cslint.yaml under 'scorecard:'." })));
    if (DATA.errors.length) {
      app.appendChild(el("div", { class: "card", style: null },
        el("h2", { text: "Inputs that could not be read (" + DATA.errors.length + ")" }),
        el("ul", { class: "errors" }, DATA.errors.slice(0, 200).map(function (e) { return el("li", { text: e }); }))));
    }
    spaceCards();
  }
  function severityWeightsText() {
    var w = card.severity_weights;
    return Object.keys(w).map(function (k) { return k + " −" + fmt(w[k]); }).join(", ");
  }
  function weightsText() {
    var w = card.weights || {};
    var keys = Object.keys(w);
    return keys.length ? "; by rule: " + keys.map(function (k) { return k + " −" + fmt(w[k]); }).join(", ") : "";
  }
  function spaceCards() { app.querySelectorAll(":scope > .card").forEach(function (n) { n.classList.add("spaced"); n.style.marginTop = "16px"; }); }
  function chartCard(title, chart, hint) {
    return el("div", { class: "card chart" }, el("h2", { text: title }), chart, hint ? el("div", { class: "legend", text: hint }) : null);
  }

  function rulesChart() {
    var rows = Object.keys(summary.by_rule).map(function (id) { return [id, summary.by_rule[id]]; })
      .sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
    if (!rows.length) return el("p", { class: "note", text: "No findings." });
    var max = rows[0][1], rowH = 24, labelW = 150, w = 520;
    var chart = svg("svg", { viewBox: "0 0 " + w + " " + (rows.length * rowH + 4), role: "img", "aria-label": "Findings by rule" });
    rows.forEach(function (row, i) {
      var y = i * rowH + 2;
      var len = Math.max(2, ((w - labelW - 60) * row[1]) / max);
      var sev = (DATA.rules[row[0]] || {}).severity || "warning";
      var g = svg("g", { class: "clickable", "data-rule": row[0], onclick: function () { location.hash = listHref({ rule: row[0] }); } },
        svg("title", { text: ruleTitle(row[0]) + ": " + fmt(row[1]) + " findings" }),
        svg("text", { x: labelW - 8, y: y + 15, "text-anchor": "end", text: row[0] }),
        svg("rect", { x: labelW, y: y + 3, width: len, height: rowH - 8, rx: 4, fill: SEV_COLOR[sev] }),
        svg("text", { x: labelW + len + 6, y: y + 15, class: "axis", text: fmt(row[1]) }));
      chart.appendChild(g);
    });
    return [chart, legend()];
  }
  function legend() {
    return el("div", { class: "legend" }, DATA.severities.map(function (s) {
      var i = el("span", { class: "swatch" }); i.style.background = SEV_COLOR[s];
      return el("span", null, i, s);
    }));
  }
  function severityChart() {
    var total = summary.findings;
    if (!total) return el("p", { class: "note", text: "No findings." });
    var w = 520, h = 140, x = 0;
    var chart = svg("svg", { viewBox: "0 0 " + w + " " + h, role: "img", "aria-label": "Findings by severity" });
    DATA.severities.forEach(function (s, i) {
      var n = summary.by_severity[s] || 0;
      var bw = (w * n) / total;
      if (n) chart.appendChild(svg("rect", { x: x, y: 10, width: bw, height: 34, fill: SEV_COLOR[s], class: "clickable",
        onclick: function () { location.hash = listHref({ sev: s }); } }, svg("title", { text: s + ": " + fmt(n) })));
      x += bw;
      var ly = 72 + i * 24;
      chart.appendChild(svg("rect", { x: 0, y: ly - 11, width: 12, height: 12, rx: 2, fill: SEV_COLOR[s] }));
      chart.appendChild(svg("text", { x: 20, y: ly, text: s }));
      chart.appendChild(svg("text", { x: 110, y: ly, "data-severity": s, text: fmt(n) }));
      chart.appendChild(svg("text", { x: 170, y: ly, class: "axis", text: Math.round((100 * n) / total) + "%" }));
    });
    return chart;
  }
  function channelTable() {
    var rows = {};
    convs.forEach(function (c) {
      var r = rows[c.channel || "(unknown)"] = rows[c.channel || "(unknown)"] || { n: 0, turns: 0, found: 0, total: 0 };
      r.n += 1; r.turns += c.agent_turns; r.found += c.findings.length; r.total += c.score;
    });
    var names = Object.keys(rows).sort(function (a, b) { return rows[b].n - rows[a].n; });
    return el("table", { class: "data", id: "channels" },
      el("thead", null, el("tr", null, ["Channel", "Conversations", "Findings / 100 agent turns", "Mean score"].map(function (h, i) {
        return el("th", { class: i ? "num" : null, text: h });
      }))),
      el("tbody", null, names.map(function (name) {
        var r = rows[name];
        return el("tr", { class: name === "(unknown)" ? null : "link", onclick: name === "(unknown)" ? null : function () { location.hash = listHref({ channel: name }); } },
          el("td", { text: name }), el("td", { class: "num", text: fmt(r.n) }),
          el("td", { class: "num", text: r.turns ? fmt(Math.round((1000 * r.found) / r.turns) / 10) : "–" }),
          el("td", { class: "num", text: fmt(Math.round((10 * r.total) / r.n) / 10) }));
      })));
  }
  function bandColor(low) { return low >= card.pass_mark ? "#12b76a" : low >= 50 ? "#f79009" : "#f04438"; }
  function distributionChart() {
    var bands = summary.distribution;
    var max = Math.max.apply(null, bands.map(function (b) { return b.conversations; }).concat([1]));
    var w = 520, h = 190, bw = w / bands.length;
    var chart = svg("svg", { viewBox: "0 0 " + w + " " + (h + 34), role: "img", "aria-label": "Score distribution" });
    bands.forEach(function (b, i) {
      var bh = b.conversations ? Math.max(2, ((h - 20) * b.conversations) / max) : 0;
      var hi = b.from === 100 ? 100 : b.from + 9.9;
      var label = b.from === 100 ? "100" : b.from + "–" + (b.from + 9);
      chart.appendChild(svg("g", { class: "clickable", onclick: function () { location.hash = listHref({ min: b.from, max: hi }); } },
        svg("title", { text: "score " + label + ": " + plural(b.conversations, "conversation") }),
        svg("rect", { x: i * bw + 3, y: h - bh, width: bw - 6, height: bh, rx: 3, fill: bandColor(b.from) }),
        svg("text", { x: i * bw + bw / 2, y: h - bh - 4, "text-anchor": "middle", class: "axis", text: b.conversations ? fmt(b.conversations) : "" }),
        svg("text", { x: i * bw + bw / 2, y: h + 16, "text-anchor": "middle", class: "axis", text: label })));
    });
    return chart;
  }
  function trendChart(weeks) {
    if (!weeks.length) return el("p", { class: "note", text: "No trend: the turns carry no dates (timestamps are needed to group conversations by week)." });
    var w = 520, h = 180, left = 36, right = 36;
    var maxRate = Math.max.apply(null, weeks.map(function (x) { return x.per_100_agent_turns; }).concat([1]));
    var step = weeks.length > 1 ? (w - left - right) / (weeks.length - 1) : 0;
    function px(i) { return left + (weeks.length > 1 ? i * step : (w - left - right) / 2); }
    function yRate(v) { return h - 10 - ((h - 30) * v) / maxRate; }
    function yScore(v) { return h - 10 - ((h - 30) * v) / 100; }
    var chart = svg("svg", { viewBox: "0 0 " + w + " " + (h + 30), role: "img", "aria-label": "Trends per week" });
    [0, 0.5, 1].forEach(function (t) {
      var y = h - 10 - (h - 30) * t;
      chart.appendChild(svg("line", { x1: left, x2: w - right, y1: y, y2: y, stroke: "#e4e7ec" }));
      chart.appendChild(svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "axis", text: fmt(Math.round(maxRate * t)) }));
      chart.appendChild(svg("text", { x: w - right + 6, y: y + 4, class: "axis", text: fmt(100 * t) }));
    });
    function line(values, y, color) {
      var d = values.map(function (v, i) { return (i ? "L" : "M") + px(i).toFixed(1) + " " + y(v).toFixed(1); }).join(" ");
      chart.appendChild(svg("path", { d: d, fill: "none", stroke: color, "stroke-width": 2.5 }));
      values.forEach(function (v, i) { chart.appendChild(svg("circle", { cx: px(i), cy: y(v), r: 3.5, fill: color })); });
    }
    line(weeks.map(function (x) { return x.per_100_agent_turns; }), yRate, "#4f46e5");
    line(weeks.map(function (x) { return x.mean_score; }), yScore, "#12b76a");
    var every = Math.ceil(weeks.length / 6);
    weeks.forEach(function (x, i) {
      chart.appendChild(svg("g", null, svg("title", { text: "week of " + x.week + ": " + plural(x.conversations, "conversation") + ", " +
        fmt(x.per_100_agent_turns) + " findings per 100 agent turns, mean score " + fmt(x.mean_score) }),
        svg("rect", { x: px(i) - 8, y: 0, width: 16, height: h, fill: "transparent" })));
      if (i % every === 0) chart.appendChild(svg("text", { x: px(i), y: h + 18, "text-anchor": "middle", class: "axis", text: x.week }));
    });
    var l1 = el("span", { class: "swatch" }); l1.style.background = "#4f46e5";
    var l2 = el("span", { class: "swatch" }); l2.style.background = "#12b76a";
    return [chart, el("div", { class: "legend" }, el("span", null, l1, "findings per 100 agent turns (left)"), el("span", null, l2, "mean score (right)"))];
  }

  // ---- agents ---------------------------------------------------------------------------
  function agentsView() {
    app.appendChild(el("h1", { text: "Agents, ranked" }));
    app.appendChild(el("p", { class: "muted", text: "Best first: higher mean conversation score, then fewer findings per 100 of the agent's own turns (a rate, so agents who answer more are compared fairly). Agents with fewer than " + card.min_conversations + " conversations come after the others. Click an agent to see their conversations." }));
    if (!DATA.agents.length) { app.appendChild(el("div", { class: "empty", text: "No agent turns in this run." })); return; }
    var limit = 300;
    var table = el("table", { class: "data", id: "agent-ranking" },
      el("thead", null, el("tr", null, ["#", "Agent", "Mean score", "", "Findings / 100 turns", "Findings", "Agent turns", "Conversations", "Failed", "Top rules"].map(function (h, i) {
        return el("th", { class: i >= 4 && i <= 8 || i === 0 ? "num" : null, text: h });
      }))));
    var body = el("tbody");
    function rows(n) {
      body.textContent = "";
      DATA.agents.slice(0, n).forEach(function (a) {
        var barFill = el("span"); barFill.style.width = a.mean_score + "%"; barFill.style.background = bandColor(a.mean_score);
        var top = Object.keys(a.by_rule).sort(function (x, y) { return a.by_rule[y] - a.by_rule[x]; }).slice(0, 3);
        body.appendChild(el("tr", { class: "link", "data-agent": a.agent, onclick: function () { location.hash = listHref({ agent: a.agent }); } },
          el("td", { class: "num", text: a.rank }), el("td", null, el("b", { text: a.agent }),
            a.few_conversations ? el("span", { class: "chip few", title: "fewer than " + card.min_conversations + " conversations: ranked after the others", text: "few conversations" }) : null),
          el("td", { class: "num" }, scoreBadge({ score: a.mean_score, critical: [] })),
          el("td", null, el("div", { class: "bar" }, barFill)),
          el("td", { class: "num", text: fmt(a.per_100_agent_turns) }), el("td", { class: "num", text: fmt(a.findings) }),
          el("td", { class: "num", text: fmt(a.agent_turns) }), el("td", { class: "num", text: fmt(a.conversations) }),
          el("td", { class: "num", text: fmt(a.failed) }),
          el("td", null, el("div", { class: "chips" }, top.map(function (r) { return el("span", { class: "chip", text: r + " ×" + a.by_rule[r] }); })))));
      });
    }
    rows(limit);
    table.appendChild(body);
    app.appendChild(el("div", { class: "card" }, table,
      DATA.agents.length > limit ? el("button", { text: "Show all " + fmt(DATA.agents.length) + " agents", onclick: function (e) { rows(DATA.agents.length); e.target.remove(); } }) : null));
    app.appendChild(agentWeeks());
  }
  function agentWeeks() {
    var weeks = DATA.weeks.map(function (w) { return w.week; }).slice(-16);
    var box = el("div", { class: "card" }, el("h2", { text: "Findings per 100 agent turns, per agent and week" }));
    box.style.marginTop = "16px";
    if (!weeks.length) { box.appendChild(el("p", { class: "note", text: "No trend: the turns carry no dates." })); return box; }
    var agents = DATA.agents.slice().sort(function (a, b) { return b.agent_turns - a.agent_turns; }).slice(0, 25)
      .filter(function (a) { return DATA.agent_weeks[a.agent]; });
    var table = el("table", { class: "data heat" }, el("thead", null, el("tr", null, el("th", { text: "Agent" }),
      weeks.map(function (w) { return el("th", { class: "num", text: w.slice(5) }); }))));
    var body = el("tbody");
    agents.forEach(function (a) {
      var cells = {};
      DATA.agent_weeks[a.agent].forEach(function (x) { cells[x.week] = x; });
      body.appendChild(el("tr", null, el("td", { text: a.agent }), weeks.map(function (w) {
        var x = cells[w];
        var td = el("td", { class: "cell", title: x ? a.agent + ", week of " + w + ": " + fmt(x.findings) + " findings in " + fmt(x.agent_turns) + " agent turns" : null,
          text: x && x.agent_turns ? fmt(Math.round(x.per_100_agent_turns)) : "" });
        if (x && x.agent_turns) td.style.background = "rgba(240,68,56," + Math.min(0.75, x.per_100_agent_turns / 200).toFixed(2) + ")";
        return td;
      })));
    });
    table.appendChild(body);
    box.appendChild(el("p", { class: "muted", text: "The 25 busiest agents, the last " + weeks.length + " weeks with dated turns (week starting Monday). Darker: more findings per 100 turns." }));
    box.appendChild(table);
    return box;
  }

  // ---- conversation list -----------------------------------------------------------------
  var FILTER_KEYS = ["q", "rule", "sev", "agent", "channel", "min", "max", "status", "sort", "page"];
  function readFilters(params) {
    var f = {};
    FILTER_KEYS.forEach(function (k) { f[k] = params.get(k) || ""; });
    if (!f.sort) f.sort = "score";
    return f;
  }
  function haystack(c) {
    if (c.hay === undefined) {
      var parts = [c.id, c.title || "", c.path];
      c.turns.forEach(function (t) { parts.push(t[1], t[2]); });
      c.hay = parts.join("\n").toLowerCase();
    }
    return c.hay;
  }
  function matches(c, f, terms) {
    if (f.rule && !(c.by_rule && c.by_rule[f.rule])) return false;
    if (f.sev && !c.sev[f.sev]) return false;
    if (f.agent && c.agents.indexOf(f.agent) < 0) return false;
    if (f.channel && (c.channel || "") !== f.channel) return false;
    if (f.min !== "" && c.score < Number(f.min)) return false;
    if (f.max !== "" && c.score > Number(f.max)) return false;
    if (f.status === "findings" && !c.findings.length) return false;
    if (f.status === "clean" && c.findings.length) return false;
    if (f.status === "failed" && c.passed) return false;
    if (f.status === "passed" && !c.passed) return false;
    if (f.status === "critical" && !c.critical.length) return false;
    for (var i = 0; i < terms.length; i++) if (haystack(c).indexOf(terms[i]) < 0) return false;
    return true;
  }
  var SORTS = {
    score: function (a, b) { return a.score - b.score || b.findings.length - a.findings.length || a.index - b.index; },
    findings: function (a, b) { return b.findings.length - a.findings.length || a.score - b.score || a.index - b.index; },
    input: function (a, b) { return a.index - b.index; }
  };
  function filtered(f) {
    var terms = f.q.toLowerCase().split(/\s+/).filter(Boolean);
    var list = convs.filter(function (c) { return matches(c, f, terms); });
    return list.sort(SORTS[f.sort] || SORTS.score);
  }
  function options(values, current, allLabel) {
    return [el("option", { value: "", text: allLabel })].concat(values.map(function (v) {
      var o = el("option", { value: v[0], text: v[1] });
      if (v[0] === current) o.selected = true;
      return o;
    }));
  }

  function listView(route) {
    var f = readFilters(route.params);
    app.appendChild(el("h1", { text: "Conversations" }));
    var channels = Array.from(new Set(convs.map(function (c) { return c.channel || ""; }).filter(Boolean))).sort();
    var ruleIds = Object.keys(DATA.rules).filter(function (r) { return summary.by_rule[r]; }).sort();
    function control(key, node) { node.setAttribute("data-filter", key); node.addEventListener("change", function () { update(key, node.value); }); return node; }
    var search = el("input", { type: "search", placeholder: "words in the conversation, id, title…", value: f.q, "data-filter": "q", "aria-label": "Search" });
    var timer = null;
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { update("q", search.value); }, 180); });
    var bar = el("div", { class: "filters card" },
      el("label", null, "Search", search),
      el("label", null, "Rule", control("rule", el("select", null, options(ruleIds.map(function (r) { return [r, r + " (" + fmt(summary.by_rule[r]) + ")"]; }), f.rule, "all rules")))),
      el("label", null, "Severity", control("sev", el("select", null, options(DATA.severities.map(function (s) { return [s, s]; }), f.sev, "any")))),
      el("label", null, "Agent", control("agent", el("select", null, options(DATA.agents.map(function (a) { return [a.agent, a.agent]; }).sort(function (a, b) { return a[0] < b[0] ? -1 : 1; }), f.agent, "all agents")))),
      channels.length ? el("label", null, "Channel", control("channel", el("select", null, options(channels.map(function (c) { return [c, c]; }), f.channel, "all channels")))) : null,
      el("label", null, "Score from", control("min", el("input", { type: "number", min: 0, max: 100, value: f.min, placeholder: "0" }))),
      el("label", null, "to", control("max", el("input", { type: "number", min: 0, max: 100, value: f.max, placeholder: "100" }))),
      el("label", null, "Show", control("status", el("select", null, options([["findings", "with findings"], ["failed", "failed"], ["critical", "critical fails"], ["passed", "passed"], ["clean", "without findings"]], f.status, "all")))),
      el("label", null, "Order", control("sort", el("select", null, [["score", "lowest score first"], ["findings", "most findings first"], ["input", "input order"]].map(function (v) {
        var o = el("option", { value: v[0], text: v[1] }); if (v[0] === f.sort) o.selected = true; return o;
      })))),
      el("button", { type: "button", text: "Clear", onclick: function () { location.hash = "#conversations"; } }));
    app.appendChild(bar);
    var results = el("div", { id: "results" });
    app.appendChild(results);
    function update(key, value) {
      // A pending search (typed, not yet applied) goes with any change; after leaving this
      // view, nothing is applied (the address now belongs to another page).
      clearTimeout(timer);
      if (!results.isConnected) return;
      // A number box also sends "change" when it loses focus: redrawing then for the same
      // value would swallow the click that took the focus away.
      if (f[key] === value && f.q === search.value) return;
      f.q = search.value;
      f[key] = value;
      if (key !== "page") f.page = "";
      history.replaceState(null, "", listHref(f));
      showResults(results, f);
    }
    showResults(results, f);
  }

  function showResults(box, f) {
    var list = filtered(f);
    lastList = list;
    var pages = Math.max(1, Math.ceil(list.length / PAGE_SIZE));
    var page = Math.min(Math.max(1, parseInt(f.page, 10) || 1), pages);
    box.textContent = "";
    function go(p) { f.page = p > 1 ? String(p) : ""; history.replaceState(null, "", listHref(f)); showResults(box, f); window.scrollTo(0, 0); }
    function pager() {
      return el("div", { class: "pager" },
        el("button", { type: "button", text: "‹ Previous", disabled: page <= 1, onclick: function () { go(page - 1); } }),
        el("span", { text: "page " + page + " of " + pages }),
        el("button", { type: "button", text: "Next ›", disabled: page >= pages, onclick: function () { go(page + 1); } }));
    }
    box.appendChild(el("div", { class: "resultline" },
      el("span", { id: "match-count", "data-count": list.length, text: plural(list.length, "conversation") + (list.length === convs.length ? "" : " of " + fmt(convs.length)) }), pager()));
    if (!list.length) { box.appendChild(el("div", { class: "empty", text: "No conversation matches these filters." })); return; }
    var rows = el("div", { class: "convlist" });
    list.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).forEach(function (c) { rows.appendChild(convRow(c, f)); });
    box.appendChild(rows);
    if (pages > 1) box.appendChild(el("div", { class: "resultline" }, el("span"), pager()));
  }

  function convRow(c, f) {
    var first = null;
    for (var i = 0; i < c.findings.length; i++) if (!f.rule || c.findings[i][0] === f.rule) { first = c.findings[i]; break; }
    var counts = DATA.severities.filter(function (s) { return c.sev[s]; }).map(function (s) {
      return el("span", { class: "sev sev-" + s, text: c.sev[s] + " " + s });
    });
    var rules = Object.keys(c.by_rule || {}).slice(0, 4).map(function (r) { return el("span", { class: "chip", text: r }); });
    var meta = [c.path, c.channel, c.agents.length ? "agent: " + c.agents.join(", ") : null, plural(c.turns.length, "turn"), c.week ? "week of " + c.week : null]
      .filter(Boolean).join(" · ");
    return el("a", { class: "convrow", href: convHref(c), "data-index": c.index },
      scoreBadge(c),
      el("div", null,
        el("div", { class: "name", text: c.title ? c.title + " (" + c.id + ")" : c.id }),
        el("div", { class: "meta", text: meta }),
        first ? el("div", { class: "snippet" }, el("b", { text: first[0] + ": " }), "“" + first[8] + "” — " + first[7]) : el("div", { class: "snippet muted", text: "No findings." })),
      el("div", { class: "chips" }, counts, rules));
  }

  // ---- one conversation ------------------------------------------------------------------
  function conversationView(route) {
    var c = byKey.get(route.parts[0] + "\u0000" + route.parts.slice(1).join("/"));
    if (!c) {
      app.appendChild(el("div", { class: "empty" }, "This conversation is not in the report. ", el("a", { href: "#conversations", text: "All conversations" })));
      return;
    }
    var list = lastList || convs;
    var at = list.indexOf(c);
    var nav = el("div", { class: "navline" },
      el("a", { href: "#conversations", text: "← All conversations", onclick: function (e) { if (lastList) { e.preventDefault(); history.back(); } } }),
      el("div", { class: "pager" },
        at > 0 ? el("a", { class: "button", href: convHref(list[at - 1]), text: "‹ Previous" }) : null,
        at >= 0 ? el("span", { class: "muted", text: fmt(at + 1) + " of " + fmt(list.length) }) : null,
        at >= 0 && at < list.length - 1 ? el("a", { class: "button", href: convHref(list[at + 1]), text: "Next ›" }) : null,
        el("a", { class: "button", href: convHref(c), title: "The address of this conversation in this report, to share", text: "Link to this conversation" })));
    app.appendChild(nav);
    var verdict = c.critical.length ? "Failed: critical rule " + c.critical.join(", ") : c.passed ? "Passed" : "Below the pass mark (" + fmt(card.pass_mark) + ")";
    app.appendChild(el("div", { class: "convhead card" }, scoreBadge(c, true),
      el("div", null,
        el("h1", { text: c.title ? c.title : "Conversation " + c.id }),
        el("div", { class: "meta", text: [c.title ? "id " + c.id : null, c.path, c.channel, c.agents.length ? "agent: " + c.agents.join(", ") : null, c.week ? "week of " + c.week : null].filter(Boolean).join(" · ") }),
        el("div", { class: "meta" }, el("b", { text: verdict }), " · " + plural(c.findings.length, "finding") + " in " + plural(c.agent_turns, "agent turn")))));
    var turnsBox = el("div", { class: "turns", id: "turns" });
    var side = el("div", { class: "side", id: "findings" });
    var marks = {};
    c.turns.forEach(function (t, i) {
      var own = [];
      c.findings.forEach(function (f, k) { if (f[2] === i) own.push(k); });
      var role = t[0] === "agent" && !t[5] ? "context" : t[0];
      var who = el("div", { class: "who" }, el("b", { text: t[0] === "agent" && !t[5] ? "internal note" : t[0] }), t[1] ? el("span", { text: t[1] }) : null,
        t[3] ? el("span", { text: t[3] }) : null, t[4] ? el("span", { text: "line " + t[4] }) : null);
      var text = el("div", { class: "text" });
      var whole = own.filter(function (k) { return coversTurn(c.findings[k], t[2]); });
      var inline = own.filter(function (k) { return whole.indexOf(k) < 0; });
      highlight(text, t[2], inline.map(function (k) { return [k, c.findings[k]]; }), marks);
      var flags = whole.length ? el("div", { class: "flags" }, whole.map(function (k) {
        var f = c.findings[k];
        var flag = el("span", { class: "sev sev-" + f[1], title: f[7], "data-findings": String(k), onclick: function () { focusCard(k); } }, f[0] + ": " + f[7]);
        marks[k] = flag;
        return flag;
      })) : null;
      turnsBox.appendChild(el("div", { class: "turn " + role, id: "turn-" + i, "data-turn": i }, who, text, flags));
    });
    if (!c.findings.length) side.appendChild(el("div", { class: "empty", text: "No findings in this conversation." }));
    c.findings.forEach(function (f, k) { side.appendChild(findingCard(c, f, k, marks)); });
    app.appendChild(el("div", { class: "conv" }, turnsBox, side));
  }

  // A finding about the whole turn (a slow reply, a missing greeting) is shown as a note on
  // the turn: highlighting every word would hide the passages that matter.
  function coversTurn(f, text) {
    return f[3] !== null && text.length > 30 && f[4] - f[3] >= text.trim().length;
  }

  // The flagged passages of one turn as <mark>s; overlapping passages split into segments,
  // each marked with the worst severity covering it.
  function highlight(node, text, found, marks) {
    var cuts = [0, text.length];
    found.forEach(function (x) { if (x[1][3] !== null && x[1][4] !== null) cuts.push(x[1][3], x[1][4]); });
    cuts = Array.from(new Set(cuts)).sort(function (a, b) { return a - b; });
    for (var i = 0; i < cuts.length - 1; i++) {
      var a = cuts[i], b = cuts[i + 1];
      if (a === b) continue;
      var piece = text.slice(a, b);
      var over = found.filter(function (x) { return x[1][3] !== null && x[1][3] <= a && x[1][4] >= b; });
      if (!over.length) { node.appendChild(document.createTextNode(piece)); continue; }
      var worst = over.reduce(function (w, x) { return SEV_RANK[x[1][1]] > SEV_RANK[w] ? x[1][1] : w; }, "info");
      var ids = over.map(function (x) { return x[0]; });
      var mark = el("mark", { class: "hl-" + worst, "data-findings": ids.join(" "), title: over.map(function (x) { return x[1][0] + ": " + x[1][7]; }).join("\n"),
        onclick: function () { focusCard(ids[0]); } }, piece);
      ids.forEach(function (k) { if (!marks[k]) marks[k] = mark; });
      node.appendChild(mark);
    }
  }
  function focusCard(k) {
    var cardNode = document.getElementById("finding-" + k);
    if (!cardNode) return;
    document.querySelectorAll(".focus").forEach(function (n) { n.classList.remove("focus"); });
    cardNode.classList.add("focus");
    cardNode.scrollIntoView({ block: "nearest" });
  }
  function betterFor(rule, passage) {
    var better = (DATA.rules[rule] || {}).better || [];
    var p = passage.toLowerCase();
    var fitting = better.filter(function (b) { var x = b[0].toLowerCase(); return x && (p.indexOf(x) >= 0 || x.indexOf(p) >= 0); });
    return { exact: fitting.length > 0, better: (fitting.length ? fitting : better).slice(0, 2) };
  }
  function findingCard(c, f, k, marks) {
    var rule = DATA.rules[f[0]] || {};
    var fitting = betterFor(f[0], f[8]);
    var better = fitting.better;
    return el("div", { class: "fcard f-" + f[1], id: "finding-" + k, "data-rule": f[0], onclick: function () {
      var m = marks[k];
      if (!m) return;
      document.querySelectorAll(".focus").forEach(function (n) { n.classList.remove("focus"); });
      m.classList.add("focus"); m.scrollIntoView({ block: "center", behavior: "smooth" });
    } },
      el("div", null, sevBadge(f[1]), " ", el("span", { class: "muted", text: f[0] })),
      el("div", { class: "title", text: rule.title || f[0] }),
      el("div", { text: f[7] }),
      f[8] ? el("div", { class: "quote", text: "“" + f[8] + "”" }) : null,
      el("div", { class: "fix" }, el("b", { text: "Fix: " }), f[9] || rule.fix || ""),
      better.length ? el("div", { class: "betterhead", text: fitting.exact ? "Better wording:" : "Better wording, for example:" }) : null,
      better.length ? el("ul", { class: "better" }, better.map(function (b) {
        return el("li", null, "instead of “" + b[0] + "”, ", el("b", { text: "say: " }), b[1]);
      })) : null,
      el("div", { class: "where", text: c.path + ":" + f[5] + ":" + f[6] + " · turn " + f[2] }));
  }

  window.addEventListener("hashchange", render);
  render();
})();
