/**
 * Several descriptions (versions) of one Member State, each as of its own date. For an evaluation
 * date D the law is read from the latest version as of D or before; when every version is later than
 * D, from the earliest, and the result must say that its description postdates D.
 */
export interface VersionChoice<T> {
  version: T;
  /** Every version of this Member State is dated after the evaluation date. */
  postdates: boolean;
}

/**
 * The version of each Member State to evaluate on `date`, in the order the Member States first
 * appear. `describedOn` gives a version's own date (a measure set's `as_of`).
 */
export function versionsOn<T extends { memberState: string }>(versions: readonly T[], date: string, describedOn: (version: T) => string): VersionChoice<T>[] {
  const byState = new Map<string, T[]>();
  for (const v of versions) (byState.get(v.memberState) ?? byState.set(v.memberState, []).get(v.memberState)!).push(v);
  const chosen: VersionChoice<T>[] = [];
  for (const list of byState.values()) {
    let best: T | undefined;
    let earliest = list[0]!;
    for (const v of list) {
      if (describedOn(v) < describedOn(earliest)) earliest = v;
      if (describedOn(v) <= date && (!best || describedOn(v) > describedOn(best))) best = v;
    }
    chosen.push(best ? { version: best, postdates: false } : { version: earliest, postdates: true });
  }
  return chosen;
}

/** The notice a result carries when its description postdates the evaluation date. */
export function postdatesNotice(declaredAsOf: string, date: string): string {
  return `the description is as of ${declaredAsOf}, after the evaluation date ${date}: provisions whose national law may have differed then are not assessed`;
}

/**
 * Results for an evaluation date where several versions of a Member State were evaluated: keeps the
 * version `versionsOn` chooses for each, with the notice where it postdates the date.
 */
export function chooseVersions<T extends { memberState: string; declaredAsOf: string; notices: string[] }>(results: readonly T[], date: string): T[] {
  return versionsOn(results, date, (r) => r.declaredAsOf).map(({ version, postdates }) =>
    postdates ? { ...version, notices: [postdatesNotice(version.declaredAsOf, date), ...version.notices] } : version,
  );
}
