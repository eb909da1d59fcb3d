/**
 * One resident who leaves personal data everywhere Berdaya keeps it: a WhatsApp-style and a
 * Telegram-style identity (simulator senders) linked by a code, a full profile, two
 * registrations, a need report with a photo, consent; then HAPUS DATA. Played through the
 * real pipeline with test/transcripts/run.ts.
 */
export const scenario = `@as warga-rahma-wa Ibu Rahma WA
> daftar MJH01
> setuju
> Rahmawati Kusumadewi
> balikpapan tengah
> gunung sari ilir
> ibu rumah tangga
> 0813 5555 7777
> ya
> ya
@clock +2h
@as warga-rahma-tg Rahma Telegram
> daftar roti
> setuju
> Rahmawati
> balikpapan tengah
> gunung sari ilir
> 5
> 0813-5555-7777
@code 482915
> iya
> 482915
> ya
> lapor
> 2
> Suami saya sakit paru-paru sejak Juli
> [foto]
> ya
> ya
> hapus data
> ya
> ya
@as warga-kontrol Bapak Kontrol
> daftar MJH01
> setuju
> Kontrolia Sentosa
`;

/** The address HAPUS DATA was typed from: it now belongs to a new, empty person (erasure.ts). */
export const farewellAddress = "warga-rahma-tg";

/** What the erased resident gave, in every form it may be stored. */
export const erasedResident = [
  "Rahmawati",
  "Kusumadewi",
  "Ibu Rahma WA",
  "Rahma Telegram",
  "warga-rahma-wa",
  "warga-rahma-tg",
  "+6281355557777",
  "81355557777",
  "0813 5555 7777",
  "0813-5555-7777",
  "sakit paru-paru",
];

/** The resident who was not erased: the scan must find them, or it proves nothing. */
export const keptResident = ["Kontrolia Sentosa", "warga-kontrol"];
