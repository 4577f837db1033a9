// The search page's own script: main.html loads it there alone, after Pagefind's interface.
//
// Pagefind finds only the pages that have every word searched. A reader who asks a question,
// "when does the health and wellbeing board meet", searched for "when" and "does" too, which the
// board's page does not say: it found one page, not the board's. So the words that make a question
// (and the little words every page has) are left out of what Pagefind searches, unless they are
// all there is or the query is an "exact phrase"; and where no page has every word left, the
// pages that have all of them but one are found. The box and the summary of the results keep the
// words as the reader typed them.
const QUESTION = new Set(`
  a about am an and any are as at be been being by can could did do does doing done for from has
  have having how hows i in is it me much many my of often on or our please should tell that
  thats the their them there they this those to us was we were what whats when whens where wheres
  which who whom whos whose why will with would you your
`.split(/\s+/).filter(Boolean));

// The words of a query to search for, or null to search it as typed.
function plainWords(term) {
  if (typeof term !== "string" || /^\s*".+"\s*$/.test(term)) return null;
  const words = term.split(/\s+/).filter((word) => word && !QUESTION.has(word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")));
  return words.length ? words : null;
}

async function plainly(search, term, options) {
  const words = plainWords(term);
  if (!words) return search(term, options);
  const found = await search(words.join(" "), options);
  if (found.results.length || words.length < 2) return found;
  const fewer = await Promise.all(words.map((_, i) => search(words.filter((_, j) => j !== i).join(" "), options)));
  const best = new Map();
  for (const result of fewer.flatMap((each) => each.results)) {
    if (!best.has(result.id) || best.get(result.id).score < result.score) best.set(result.id, result);
  }
  return { ...found, results: [...best.values()].sort((a, b) => b.score - a.score) };
}

// Pagefind's interface (pagefind 1.5.2) loads its search on the first query, through its
// instance's __load__; its search() is wrapped then. Were that to change, search is as before.
const instance = window.PagefindComponents?.getInstanceManager().getInstance("default");
const load = instance?.__load__;
if (typeof load === "function") {
  instance.__load__ = async function (...args) {
    await load.apply(this, args);
    const pagefind = this.__pagefind__;
    if (pagefind && !pagefind.plainly) {
      const search = pagefind.search.bind(pagefind);
      pagefind.search = (term, options) => plainly(search, term, options);
      pagefind.plainly = true;
    }
  };
}
