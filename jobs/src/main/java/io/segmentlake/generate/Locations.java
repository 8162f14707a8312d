package io.segmentlake.generate;

/** Customer locations, most populous first (customers are drawn with a skew towards the top). */
final class Locations {
  static final String[] CITIES = {
    "Berlin",
    "Paris",
    "Madrid",
    "Rome",
    "Hamburg",
    "Vienna",
    "Milan",
    "Barcelona",
    "Munich",
    "Amsterdam",
    "Brussels",
    "Cologne",
    "Lyon",
    "Lisbon",
    "Dublin",
    "Frankfurt",
    "Rotterdam",
    "Stuttgart",
    "Marseille",
    "Helsinki"
  };
  static final String[] REGIONS = {
    "Berlin",
    "Ile-de-France",
    "Community of Madrid",
    "Lazio",
    "Hamburg",
    "Vienna",
    "Lombardy",
    "Catalonia",
    "Bavaria",
    "North Holland",
    "Brussels-Capital",
    "North Rhine-Westphalia",
    "Auvergne-Rhone-Alpes",
    "Lisbon",
    "Leinster",
    "Hesse",
    "South Holland",
    "Baden-Wuerttemberg",
    "Provence-Alpes-Cote d'Azur",
    "Uusimaa"
  };
  static final String[] COUNTRIES = {
    "DE", "FR", "ES", "IT", "DE", "AT", "IT", "ES", "DE", "NL", "BE", "DE", "FR", "PT", "IE", "DE",
    "NL", "DE", "FR", "FI"
  };

  private Locations() {}
}
