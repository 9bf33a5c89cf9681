/* The newskg graph explorer: draws the embedded graph with vis-network and wires up the side panels.
 *
 * Every string that comes from an article reaches the page through textContent (never innerHTML), and a
 * link is made only from an http(s) URL. Positions are pre-computed, so physics stays off.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var R = data.records;
  var ARTS = data.articles;
  var KIND_PLURAL = {
    person: "people", organization: "organizations", country: "countries",
    place: "places", group: "groups", event: "events"
  };
  // Edge labels (a fillText per edge per frame) and curved edges cost draw time; past 1,500 edges the page draws
  // straight unlabelled edges (labels then show on hover and in the panel) and hides edges while dragging.
  var big = Math.max(data.edges.length, data.cedges.length) > 1500;
  var edgeLabels = !big;

  // ---- DOM helpers: text only ---------------------------------------------------------------
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function safeHref(url) {
    if (typeof url !== "string" || url === "") return null;
    try {
      var parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }
  function link(text, url) {
    var href = safeHref(url);
    if (!href) return el("span", null, text);
    var a = el("a", null, text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function humanClass(cls) {
    return String(cls).replace(/([a-z])([A-Z])/g, "$1 $2");
  }
  function setStatus(text) {
    document.getElementById("status").textContent = text;
  }

  // ---- vis data ------------------------------------------------------------------------------
  function colour(cls) {
    return data.colours[cls] || "#b07aa1";
  }
  function nodeItem(i) {
    var r = R[i];
    var item = { id: i, x: r.x, y: r.y, label: r.label.length > 48 ? r.label.slice(0, 47) + "\u2026" : r.label };
    item.shape = data.shapes[r.kind] || "dot";
    if (r.kind === "event") {
      item.color = { background: colour(r.cls), border: "#6d4a63" };
      item.font = { color: "#fff", size: 10 };
      item.margin = 4;
      if (r.negated || r.modality !== "Asserted") item.shapeProperties = { borderDashes: [4, 3] };
      if (r.date) item.label += "\n" + r.date;
    } else {
      item.value = r.c;
      item.color = { background: colour(r.cls), border: "#444" };
    }
    return item;
  }
  var drawable = [];
  for (var i = 0; i < R.length; i++) if (R[i].x !== undefined) drawable.push(i);

  function expandedEdgeItems() {
    return data.edges.map(function (row, k) {
      var label = data.labels[row[2]];
      var item = { id: "x" + k, from: row[0], to: row[1], role: label };
      if (edgeLabels) item.label = label;
      if (label === "about" || label === "reportedBy") item.dashes = true;
      return item;
    });
  }
  function collapsedEdgeItems() {
    return data.cedges.map(function (row, k) {
      if (row[2] >= 0) {
        return { id: "c" + k, from: row[0], to: row[1], role: data.labels[row[2]], label: edgeLabels ? data.labels[row[2]] : undefined };
      }
      var ev = R[-1 - row[2]];
      var item = { id: "c" + k, from: row[0], to: row[1], role: ev.label, event: -1 - row[2] };
      if (edgeLabels) item.label = ev.label;
      item.color = { color: colour(ev.cls), inherit: false };
      if (ev.negated || ev.modality !== "Asserted") item.dashes = true;
      return item;
    });
  }
  var edgeSets = { expanded: null, collapsed: null };
  function edgeItems(collapsed) {
    var key = collapsed ? "collapsed" : "expanded";
    if (!edgeSets[key]) edgeSets[key] = collapsed ? collapsedEdgeItems() : expandedEdgeItems();
    return edgeSets[key];
  }
  // Adjacency of each view, for the neighbourhood view and the panels.
  function adjacency(rows) {
    var adj = {};
    rows.forEach(function (row, k) {
      (adj[row[0]] = adj[row[0]] || []).push(k);
      (adj[row[1]] = adj[row[1]] || []).push(k);
    });
    return adj;
  }
  var adjExpanded = adjacency(data.edges);
  var adjCollapsed = adjacency(data.cedges);

  // Events that join no entity (`loose`) stay hidden until the "show N events" box is ticked.
  var state = { collapsed: !!data.collapsed, classOff: {}, since: "", until: "", around: null, hidden: {}, showLoose: false };

  function inDates(r) {
    if (!state.since && !state.until) return true;
    function overlaps(lo, hi) {
      return !(state.since && hi && hi < state.since) && !(state.until && lo && lo > state.until);
    }
    if (r.kind === "event") return overlaps(r.d0, r.d1);
    var dated = false;
    for (var k = 0; k < (r.arts || []).length; k++) {
      var d = ARTS[r.arts[k]][2];
      if (!d) continue;
      dated = true;
      if (overlaps(d, d)) return true;
    }
    return !dated;
  }
  function isVisible(i) {
    var r = R[i];
    if (state.classOff[r.cls]) return false;
    if (state.collapsed && r.kind === "event") return false;
    if (r.loose && !state.showLoose) return false;
    if (state.around && !state.around[i]) return false;
    return inDates(r);
  }

  var container = document.getElementById("graph");
  window.nodes = new vis.DataSet(drawable.map(nodeItem));
  window.edges = new vis.DataSet(edgeItems(state.collapsed));
  var options = {
    physics: false,
    layout: { improvedLayout: false },
    interaction: {
      hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
      navigationButtons: false, keyboard: false, multiselect: false
    },
    nodes: {
      font: { size: 12, face: "system-ui, sans-serif" },
      scaling: { min: 8, max: 40, label: { enabled: true, min: 10, max: 22, drawThreshold: 6 } },
      borderWidth: 1
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.5 } },
      font: { size: 9, align: "middle", color: "#555", strokeWidth: 2 },
      color: { color: "#9aa5b1", highlight: "#222", hover: "#444", inherit: false },
      smooth: big ? false : { enabled: true, type: "continuous", roundness: 0.3 },
      width: 1,
      selectionWidth: 2
    }
  };
  window.network = new vis.Network(container, { nodes: window.nodes, edges: window.edges }, options);
  var network = window.network;

  function applyVisibility() {
    var changes = [];
    var shown = 0;
    drawable.forEach(function (i) {
      var hide = !isVisible(i);
      if (!hide) shown++;
      if (!!state.hidden[i] !== hide) {
        state.hidden[i] = hide;
        changes.push({ id: i, hidden: hide });
      }
    });
    if (changes.length) window.nodes.update(changes);
    var edgesShown = window.edges.get({ filter: function (e) { return !state.hidden[e.from] && !state.hidden[e.to]; } });
    setStatus(shown + " of " + drawable.length + " nodes, " + edgesShown.length + " edges shown");
    return shown;
  }

  // Fit the view to the nodes shown (vis-network would otherwise fit the hidden ones too).
  function fitShown() {
    var ids = drawable.filter(function (n) { return !state.hidden[n]; });
    network.fit({ nodes: ids.length ? ids : drawable, animation: false });
  }

  function setShowLoose(show) {
    state.showLoose = !!show;
    document.getElementById("show-loose").checked = state.showLoose;
    applyVisibility();
    fitShown();
  }

  function setCollapsed(collapsed) {
    state.collapsed = !!collapsed;
    window.edges.clear();
    window.edges.add(edgeItems(state.collapsed));
    if (state.around && state.aroundNode !== undefined) showAround(state.aroundNode, state.aroundHops);
    else applyVisibility();
  }

  // ---- neighbourhood -----------------------------------------------------------------------------
  function showAround(i, hops) {
    var rows = state.collapsed ? data.cedges : data.edges;
    var adj = state.collapsed ? adjCollapsed : adjExpanded;
    var seen = {};
    seen[i] = true;
    var frontier = [i];
    for (var h = 0; h < hops && frontier.length; h++) {
      var next = [];
      frontier.forEach(function (n) {
        (adj[n] || []).forEach(function (k) {
          var other = rows[k][0] === n ? rows[k][1] : rows[k][0];
          if (!seen[other]) {
            seen[other] = true;
            next.push(other);
          }
        });
      });
      frontier = next;
    }
    state.around = seen;
    state.aroundNode = i;
    state.aroundHops = hops;
    applyVisibility();
    fitShown();
  }
  function selectedNode() {
    var sel = network.getSelectedNodes();
    return sel.length ? sel[0] : state.lastSelected;
  }
  function reset() {
    state.classOff = {};
    state.since = state.until = "";
    state.around = null;
    state.aroundNode = undefined;
    state.showLoose = false;
    document.getElementById("show-loose").checked = false;
    document.getElementById("since").value = "";
    document.getElementById("until").value = "";
    Array.prototype.forEach.call(document.querySelectorAll("#classes input"), function (box) { box.checked = true; });
    applyVisibility();
    network.unselectAll();
    hidePanel();
    fitShown();
  }

  // ---- search ------------------------------------------------------------------------------------
  function names(r) {
    return [r.label].concat(r.aliases || []);
  }
  function search(query) {
    var q = String(query || "").trim().toLowerCase();
    if (!q) return -1;
    var best = -1;
    var bestRank = 99;
    drawable.forEach(function (i) {
      var r = R[i];
      if (r.kind === "event") return;
      var rank = 99;
      names(r).forEach(function (name) {
        var n = name.toLowerCase();
        if (n === q) rank = Math.min(rank, 0);
        else if (n.indexOf(q) === 0) rank = Math.min(rank, 1);
        else if (n.indexOf(q) > 0) rank = Math.min(rank, 2);
      });
      if (rank === 99) return;
      if (state.hidden[i]) rank += 3;  // prefer what is on screen
      if (rank < bestRank || (rank === bestRank && r.c > R[best].c)) {
        best = i;
        bestRank = rank;
      }
    });
    if (best < 0) {
      setStatus("No name or alias matches \u201c" + query + "\u201d");
      return -1;
    }
    focusNode(best);
    if (state.hidden[best]) setStatus("\u201c" + R[best].label + "\u201d is hidden by the current filters (Reset shows it)");
    return best;
  }
  function focusNode(i) {
    network.selectNodes([i]);
    state.lastSelected = i;
    network.focus(i, { scale: Math.max(network.getScale(), 1.2), animation: false });
    showPanel(i);
  }

  // ---- tooltip and panel -------------------------------------------------------------------------
  var tooltip = document.getElementById("tooltip");
  function showTooltip(i, pointer, via) {
    var r = R[i];
    clear(tooltip);
    tooltip.appendChild(el("div", "t", r.label));
    if (via) tooltip.appendChild(el("div", "c", via));
    if (r.kind === "event") {
      var bits = [humanClass(r.type)];
      if (r.date) bits.push(r.date);
      if (r.quantity !== undefined) bits.push("quantity " + r.quantity);
      if (r.negated) bits.push("negated");
      if (r.modality !== "Asserted") bits.push(r.modality.toLowerCase());
      tooltip.appendChild(el("div", "c", bits.join(" \u00b7 ")));
      if (r.sourceNames.length) tooltip.appendChild(el("div", "c", "reported by " + r.sourceNames.join(", ")));
    } else {
      tooltip.appendChild(el("div", "c", (r.classes || [r.cls]).map(humanClass).join(", ")));
      if (r.aliases && r.aliases.length) tooltip.appendChild(el("div", null, "also: " + r.aliases.slice(0, 6).join(", ")));
      tooltip.appendChild(el("div", "c", r.mc + " mentions in " + r.arts.length + " article(s)"));
    }
    if (r.ev.length) {
      tooltip.appendChild(el("blockquote", "evidence", r.ev[0][0]));
      var art = ARTS[r.ev[0][1]];
      if (art) tooltip.appendChild(el("div", "c", art[1] + (art[2] ? " (" + art[2] + ")" : "")));
    }
    placeTooltip(pointer);
  }
  function placeTooltip(pointer) {
    tooltip.hidden = false;
    var rect = container.getBoundingClientRect();
    tooltip.style.left = Math.min(rect.left + pointer.x + 14, window.innerWidth - 370) + "px";
    tooltip.style.top = Math.min(rect.top + pointer.y + 14, window.innerHeight - 120) + "px";
  }
  function hideTooltip() {
    tooltip.hidden = true;
  }

  var panel = document.getElementById("panel");
  var body = document.getElementById("panel-body");
  function hidePanel() {
    panel.hidden = true;
  }
  function ref(i) {
    var button = el("button", "ref", R[i].label);
    button.type = "button";
    button.addEventListener("click", function () {
      if (R[i].x !== undefined) focusNode(i);
      else showPanel(i);
    });
    return button;
  }
  function section(title) {
    body.appendChild(el("h3", null, title));
  }
  function facts(pairs) {
    var dl = el("dl");
    pairs.forEach(function (p) {
      if (p[1] === undefined || p[1] === null || p[1] === "") return;
      dl.appendChild(el("dt", null, p[0]));
      var dd = el("dd");
      if (p[1] instanceof Node) dd.appendChild(p[1]);
      else dd.textContent = String(p[1]);
      dl.appendChild(dd);
    });
    body.appendChild(dl);
  }
  function articleLine(index, item) {
    var art = ARTS[index];
    if (!art) return;
    item.appendChild(link(art[1] || art[0], art[3]));
    if (art[2]) item.appendChild(el("span", "meta", " " + art[2]));
  }
  function evidenceList(evidence) {
    var ul = el("ul");
    evidence.forEach(function (e) {
      var li = el("li");
      li.appendChild(el("blockquote", "evidence", e[0]));
      articleLine(e[1], li);
      ul.appendChild(li);
    });
    body.appendChild(ul);
  }
  function connections(i) {
    // What the expanded graph links this node to (roles and relations); the collapsed view's edges too.
    var out = [];
    (adjExpanded[i] || []).forEach(function (k) {
      var row = data.edges[k];
      out.push([row[0] === i ? "\u2192" : "\u2190", data.labels[row[2]], row[0] === i ? row[1] : row[0]]);
    });
    if (!data.canExpand) {
      (adjCollapsed[i] || []).forEach(function (k) {
        var row = data.cedges[k];
        var label = row[2] >= 0 ? data.labels[row[2]] : R[-1 - row[2]].label;
        out.push([row[0] === i ? "\u2192" : "\u2190", label, row[0] === i ? row[1] : row[0]]);
      });
    }
    return out;
  }
  function showPanel(i) {
    var r = R[i];
    clear(body);
    body.appendChild(el("h2", null, r.label));
    body.appendChild(el("div", "iri", r.id));
    if (r.kind === "event") {
      var sources = el("span");
      r.src.forEach(function (s, k) {
        if (k) sources.appendChild(document.createTextNode(", "));
        sources.appendChild(ref(s));
      });
      if (!r.src.length && r.sourceNames.length) sources.textContent = r.sourceNames.join(", ");
      facts([
        ["type", humanClass(r.type)],
        ["trigger", r.trigger],
        ["date", r.date ? r.date + (r.time_text ? " (\u201c" + r.time_text + "\u201d)" : "") : r.time_text],
        ["quantity", r.quantity],
        ["amount", r.amount !== undefined ? r.amount.toLocaleString("en") + (r.currency ? " " + r.currency : "") : ""],
        ["negated", r.negated ? "yes: the text says it did not happen" : "no"],
        ["modality", r.modality],
        ["source", r.sourceNames.length ? sources : ""],
        ["reported by", r.reports ? r.reports + (r.reports === 1 ? " source" : " sources") + " (" + r.mentions + " mentions)" : ""]
      ]);
    } else {
      facts([
        ["class", (r.classes || [r.cls]).map(humanClass).join(", ")],
        ["aliases", (r.aliases || []).join("; ")],
        ["mentions", r.mc],
        ["size", r.size],
        ["role", r.role],
        ["position", (r.position || []).join("; ")],
        ["centrality", r.c ? r.c.toPrecision(3) : ""]
      ]);
      if (r.sameAs && r.sameAs.length) {
        var same = el("div");
        r.sameAs.forEach(function (u) { same.appendChild(link(u, u)); same.appendChild(document.createTextNode(" ")); });
        facts([["same as", same]]);
      }
    }
    var links = connections(i);
    if (links.length) {
      section(r.kind === "event" ? "Participants" : "Connections");
      var ul = el("ul");
      links.slice(0, 40).forEach(function (c) {
        var li = el("li", null, c[0] + " " + c[1] + " ");
        li.appendChild(ref(c[2]));
        ul.appendChild(li);
      });
      if (links.length > 40) ul.appendChild(el("li", "meta", "and " + (links.length - 40) + " more"));
      body.appendChild(ul);
    }
    if (r.ev.length) {
      section(r.kind === "event" ? "Evidence" : "Evidence (first " + r.ev.length + ")");
      evidenceList(r.ev);
    }
    if (r.kind !== "event" && r.arts.length) {
      section("Articles (" + r.arts.length + ")");
      var list = el("ul");
      r.arts.slice(0, 25).forEach(function (a) {
        var li = el("li");
        articleLine(a, li);
        list.appendChild(li);
      });
      if (r.arts.length > 25) list.appendChild(el("li", "meta", "and " + (r.arts.length - 25) + " more"));
      body.appendChild(list);
    }
    panel.hidden = false;
  }
  function showEdgePanel(id) {
    var edge = window.edges.get(id);
    if (!edge) return;
    if (edge.event !== undefined) {
      showPanel(edge.event);
      var line = el("p", "meta");
      line.appendChild(ref(edge.from));
      line.appendChild(document.createTextNode(" \u2192 " + edge.role + " \u2192 "));
      line.appendChild(ref(edge.to));
      body.insertBefore(line, body.children[2] || null);
      return;
    }
    clear(body);
    body.appendChild(el("h2", null, edge.role));
    var p = el("p");
    p.appendChild(ref(edge.from));
    p.appendChild(document.createTextNode(" \u2192 " + edge.role + " \u2192 "));
    p.appendChild(ref(edge.to));
    body.appendChild(p);
    panel.hidden = false;
  }

  // ---- wiring ----------------------------------------------------------------------------------------
  document.getElementById("title").textContent = data.title || document.title;

  // Entity classes first; the (often many) event types in a fold of their own.
  var classes = document.getElementById("classes");
  var eventTypes = el("details");
  var eventCount = 0;
  data.legend.forEach(function (entry) {
    if (entry.kind === "event") eventCount += entry.count;
  });
  eventTypes.appendChild(el("summary", null, "Event types (" + eventCount + " events)"));
  data.legend.forEach(function (entry) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = entry.cls;
    box.addEventListener("change", function () {
      state.classOff[entry.cls] = !box.checked;
      applyVisibility();
    });
    var swatch = el("span", "swatch " + (data.shapes[entry.kind] || "dot"));
    swatch.style.background = colour(entry.cls);
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(document.createTextNode(humanClass(entry.cls) + " (" + entry.count + ")"));
    (entry.kind === "event" ? eventTypes : classes).appendChild(label);
  });
  if (eventCount) classes.appendChild(eventTypes);

  var datalist = document.getElementById("names");
  drawable
    .filter(function (i) { return R[i].kind !== "event"; })
    .sort(function (a, b) { return R[b].c - R[a].c || a - b; })
    .slice(0, 3000)
    .forEach(function (i) {
      var option = el("option");
      option.value = R[i].label;
      datalist.appendChild(option);
    });

  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search(document.getElementById("search").value);
  });
  var collapseBox = document.getElementById("collapse");
  collapseBox.checked = state.collapsed;
  collapseBox.disabled = !data.canExpand;
  collapseBox.addEventListener("change", function () { setCollapsed(collapseBox.checked); });
  ["since", "until"].forEach(function (name) {
    document.getElementById(name).addEventListener("change", function (event) {
      state[name] = event.target.value;
      applyVisibility();
    });
  });
  function hops() {
    return Math.max(1, parseInt(document.getElementById("hops").value, 10) || 1);
  }
  document.getElementById("nb-show").addEventListener("click", function () {
    var i = selectedNode();
    if (i === undefined) setStatus("Click a node first");
    else showAround(i, hops());
  });
  document.getElementById("reset").addEventListener("click", reset);
  var looseCount = data.summary.looseEvents || 0;
  document.getElementById("loose-label").textContent =
    "Show " + looseCount + (looseCount === 1 ? " event that joins" : " events that join") + " no entity";
  document.getElementById("loose-switch").hidden = looseCount === 0;
  document.getElementById("show-loose").addEventListener("change", function (event) {
    setShowLoose(event.target.checked);
  });
  document.getElementById("panel-close").addEventListener("click", hidePanel);

  network.on("hoverNode", function (p) { showTooltip(p.node, p.pointer.DOM); });
  network.on("blurNode", hideTooltip);
  network.on("hoverEdge", function (p) {
    var edge = window.edges.get(p.edge);
    if (!edge) return;
    if (edge.event !== undefined) {
      showTooltip(edge.event, p.pointer.DOM, R[edge.from].label + " \u2192 " + R[edge.to].label);
    } else {
      clear(tooltip);
      tooltip.appendChild(el("div", "t", R[edge.from].label + " \u2192 " + edge.role + " \u2192 " + R[edge.to].label));
      placeTooltip(p.pointer.DOM);
    }
  });
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);
  network.on("click", function (p) {
    hideTooltip();
    if (p.nodes.length) {
      state.lastSelected = p.nodes[0];
      showPanel(p.nodes[0]);
    } else if (p.edges.length) {
      showEdgePanel(p.edges[0]);
    } else {
      hidePanel();
    }
  });
  network.on("doubleClick", function (p) {
    if (p.nodes.length) showAround(p.nodes[0], hops());
  });

  // What the page leaves out, in words.
  var s = data.summary;
  var notice = document.getElementById("notice");
  function note(text) {
    notice.appendChild(el("p", null, text));
  }
  if (s.nodes === 0) note("Nothing to draw: no entity or event matches the export's options.");
  if (s.focus) note("Only the neighbourhood of \u201c" + s.focus + "\u201d within " + s.hops + " hops.");
  if (s.since || s.until) note("Only items dated " + (s.since ? "from " + s.since + " " : "") + (s.until ? "until " + s.until : "") + ".");
  if (s.omittedNodes > 0) {
    var kinds = Object.keys(s.omittedByKind).map(function (k) {
      return s.omittedByKind[k] + " " + (KIND_PLURAL[k] || k);
    });
    note(
      "Showing the " + s.nodes + " most central of " + s.totalNodes + " nodes (limit " + s.maxNodes + "). Left out: " +
      s.omittedNodes + " nodes (" + kinds.join(", ") + ") and " + s.omittedEdges + " edges" +
      (s.omittedExamples ? ", among them " + s.omittedExamples : "") +
      ". Export with --focus, --since/--until or a larger --max-nodes to see them."
    );
  }
  if (s.eventsNotDrawn > 0) {
    note(s.eventsNotDrawn + " events join fewer than two entities and are not drawn in the \u201cevents as edges\u201d view.");
  }

  network.once("afterDrawing", function () {
    window.explorerReady = performance.now();
  });
  applyVisibility();
  fitShown();
  window.explorer = {
    data: data, state: state, search: search, focusNode: focusNode, showAround: showAround,
    reset: reset, setCollapsed: setCollapsed, setShowLoose: setShowLoose, applyVisibility: applyVisibility,
    fitShown: fitShown
  };
})();
