"use strict";
// Every value from the store is put on the page with textContent, never as HTML.
const examples = JSON.parse(document.getElementById("example-data").textContent);
const picker = document.getElementById("examples");
const queryBox = document.getElementById("query");
const statusLine = document.getElementById("status");
const out = document.getElementById("out");
for (const [index, example] of examples.entries()) {
  const option = document.createElement("option");
  option.value = String(index);
  option.textContent = example.name;
  picker.appendChild(option);
}
picker.addEventListener("change", () => {
  if (picker.value !== "") queryBox.value = examples[Number(picker.value)].query;
});

function cell(tag, text) {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}

function termText(term) {
  if (!term) return "";
  if (term.type === "literal" && term["xml:lang"]) return term.value + " @" + term["xml:lang"];
  if (term.type === "bnode") return "_:" + term.value;
  if (term.type === "triple") return "<< " + ["subject", "predicate", "object"].map(k => termText(term.value[k])).join(" ") + " >>";
  return term.value;
}

function showTable(data) {
  const table = document.createElement("table");
  const head = document.createElement("tr");
  for (const name of data.head.vars) head.appendChild(cell("th", name));
  table.appendChild(head);
  for (const binding of data.results.bindings) {
    const row = document.createElement("tr");
    for (const name of data.head.vars) row.appendChild(cell("td", termText(binding[name])));
    table.appendChild(row);
  }
  out.appendChild(table);
  return data.results.bindings.length + " rows";
}

async function run() {
  out.replaceChildren();
  statusLine.className = "";
  statusLine.textContent = "running…";
  const started = performance.now();
  try {
    const response = await fetch("query", {
      method: "POST",
      headers: {"Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
      body: queryBox.value,
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(2) + " s";
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      statusLine.className = "error";
      statusLine.textContent = response.status + " after " + seconds;
      out.appendChild(cell("pre", await response.text()));
      return;
    }
    let summary;
    if (type.startsWith("application/sparql-results+json")) {
      const data = await response.json();
      summary = "boolean" in data ? (out.appendChild(cell("pre", String(data.boolean))), "ask") : showTable(data);
    } else {
      out.appendChild(cell("pre", await response.text()));
      summary = "graph";
    }
    const cut = response.headers.get("X-KG-Truncated") === "true";
    statusLine.textContent = summary + " in " + seconds +
      (cut ? " — cut at the server's limit of " + response.headers.get("X-KG-Max-Results") : "");
  } catch (error) {
    statusLine.className = "error";
    statusLine.textContent = String(error);
  }
}
document.getElementById("run").addEventListener("click", run);
queryBox.addEventListener("keydown", event => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
});
