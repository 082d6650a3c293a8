// The search page: Pagefind's index queried in the page's language, with filters.
// No framework; the results are built with DOM calls, never from HTML strings:
// the excerpts are made here from the text the index holds, as text nodes.
// The address holds the search (?q=...&department=...&year=...): typing replaces the
// current history entry, a search left standing (Enter, a filter, a result followed)
// is kept as one, so that Back returns to the search before.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  var pagefind = null;
  var query = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var selects = box.querySelectorAll("select[data-filter]");
  var lastRun = 0;

  function matches(meta, filters) {
    // program_urls holds "|url|url|"; the others hold one value.
    return filters.every(function (f) {
      var value = meta[f.key] || "";
      return f.key === "program_urls" ? value.indexOf("|" + f.value + "|") >= 0 : value === f.value;
    });
  }

  var WINDOW = 30, BEFORE = 6;

  function ownWords(data) {
    // The words the index read from the notice, without the helper words (the parts
    // of compound nouns) that the page keeps, hidden, after its own text: their
    // number is the page's "helpers" field.
    var words = (data.content || "").split(/\s+/).filter(Boolean);
    var helpers = parseInt(data.meta.helpers || "0", 10) || 0;
    return helpers > 0 && helpers <= words.length ? words.slice(0, words.length - helpers) : words;
  }

  function terms(text) {
    return text.toLowerCase().split(/\s+/).map(function (word) {
      return word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    }).filter(Boolean);
  }

  function marked(word, wanted, whole) {
    // [text, marked] pieces of one word: each searched word inside it (복지관 inside
    // 홍은종합사회복지관에서), or the whole word if the index matched it otherwise.
    var lower = word.toLowerCase();
    var spans = [];
    if (lower.length === word.length) {
      wanted.forEach(function (term) {
        for (var at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + term.length)) {
          spans.push([at, at + term.length]);
        }
      });
    }
    if (!spans.length) return [[word, whole]];
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var pieces = [], from = 0;
    spans.forEach(function (span) {
      if (span[0] < from) return;
      if (span[0] > from) pieces.push([word.slice(from, span[0]), false]);
      pieces.push([word.slice(span[0], span[1]), true]);
      from = span[1];
    });
    if (from < word.length) pieces.push([word.slice(from), false]);
    return pieces;
  }

  function excerpt(data, text) {
    // A span of the notice's own text around the first match, built here rather than
    // taken from Pagefind, whose excerpt may show the hidden helper words.
    var words = ownWords(data);
    var wanted = terms(text);
    var found = {};
    (data.locations || []).forEach(function (at) { if (at < words.length) found[at] = true; });
    var first = -1;
    for (var i = 0; i < words.length && first < 0; i++) {
      var lower = words[i].toLowerCase();
      if (found[i] || wanted.some(function (term) { return lower.indexOf(term) >= 0; })) first = i;
    }
    var start = Math.max(0, Math.min(first - BEFORE, words.length - WINDOW));
    var node = document.createElement("p");
    node.className = "summary";
    words.slice(start, start + WINDOW).forEach(function (word, k) {
      if (k) node.appendChild(document.createTextNode(" "));
      marked(word, wanted, !!found[start + k]).forEach(function (piece) {
        var text = document.createTextNode(piece[0]);
        if (piece[1]) {
          var mark = document.createElement("mark");
          mark.appendChild(text);
          node.appendChild(mark);
        } else {
          node.appendChild(text);
        }
      });
    });
    return node;
  }

  function entry(data, text) {
    var item = document.createElement("li");
    item.className = "entry";
    var title = document.createElement("h2");
    title.className = "entry-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    title.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = [data.meta.date, data.meta.department].filter(Boolean).join(" · ");
    item.appendChild(title);
    item.appendChild(meta);
    item.appendChild(excerpt(data, text));
    return item;
  }

  async function run() {
    var run = ++lastRun;
    var filters = [];
    selects.forEach(function (select) {
      if (select.value) filters.push({ key: select.dataset.filter, value: select.value });
    });
    var term = query.value.trim();
    if (!term) {
      list.replaceChildren();
      status.textContent = filters.length ? box.dataset.needWords : "";
      return;
    }
    var search = await pagefind.search(term);
    // Filters apply to each result's metadata, so every result's data is loaded
    // when one is chosen; without filters only the first page of results is.
    var candidates = filters.length ? search.results : search.results.slice(0, 30);
    var results = await Promise.all(candidates.map(function (r) { return r.data(); }));
    if (run !== lastRun) return;
    results = results.filter(function (data) { return matches(data.meta, filters); });
    list.replaceChildren.apply(list, results.slice(0, 30).map(function (data) {
      return entry(data, term);
    }));
    var total = filters.length ? results.length : search.results.length;
    status.textContent = total
      ? box.dataset.results.replace("{count}", total)
      : box.dataset.noResults;
  }

  // The index comes in parts, one per year (newest first); the first part's script
  // searches them all, with one copy of Pagefind's code.
  var shards = (box.dataset.shards || "").split(" ").filter(Boolean);
  if (!shards.length) {
    pagefind = { search: async function () { return { results: [] }; } };
  }
  (shards.length ? import(shards[0] + "pagefind.js") : Promise.resolve(pagefind)).then(async function (module) {
    pagefind = module;
    if (shards.length) {
      await pagefind.options({ baseUrl: box.dataset.base, basePath: shards[0] });
      for (var i = 1; i < shards.length; i++) {
        await pagefind.mergeIndex(shards[i], { baseUrl: box.dataset.base });
      }
    }
    box.hidden = false;
    fromAddress();
    var kept = location.search !== "";
    query.addEventListener("input", function () {
      if (remember(kept)) kept = false;
      run();
    });
    box.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      remember(false);
      kept = true;
      run();
    });
    selects.forEach(function (select) {
      select.addEventListener("change", function () { remember(true); kept = true; run(); });
    });
    list.addEventListener("click", function () { kept = true; });
    window.addEventListener("popstate", function () { fromAddress(); kept = true; run(); });
    run();
  });

  function fromAddress() {
    var params = new URLSearchParams(location.search);
    query.value = params.get("q") || "";
    selects.forEach(function (select) {
      var value = params.get(select.dataset.param) || "";
      select.value = value;
      if (select.value !== value) select.value = "";
    });
  }

  function remember(push) {
    var params = new URLSearchParams();
    if (query.value.trim()) params.set("q", query.value.trim());
    selects.forEach(function (select) {
      if (select.value) params.set(select.dataset.param, select.value);
    });
    var search = params.toString();
    if (search === new URLSearchParams(location.search).toString()) return false;
    history[push ? "pushState" : "replaceState"](null, "",
                                                  location.pathname + (search ? "?" + search : "") + location.hash);
    return true;
  }
})();
