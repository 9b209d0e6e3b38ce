// The EEA and adequacy lists in effect on this computer, as core keeps them (shipped, or as the
// person edited them in the settings). The processor editor asks for a transfer mechanism only
// outside the EEA of this list; every rule about the lists stays in core.
import type * as B from "../bindings";
import { call } from "./api";

export const countryLists = $state<{ eea: string[]; loaded: boolean }>({ eea: [], loaded: false });

/** Takes the lists the backend answered (after a load, a save or a reset). */
export function useCountryLists(settings: B.CountryListSettings) {
  countryLists.eea = [...settings.eea.countries];
  countryLists.loaded = true;
}

/** Loads the lists once per run (again after the settings change them). */
export async function loadCountryLists(): Promise<void> {
  if (countryLists.loaded) return;
  useCountryLists(await call("countryLists"));
}
