package io.wattproof.agent.cli;

import io.wattproof.agent.driver.CarOwner;
import io.wattproof.agent.driver.CarOwner.BookingResult;
import io.wattproof.agent.driver.CarOwner.RequestResult;
import io.wattproof.agent.driver.CarOwnerStore;
import io.wattproof.agent.driver.CarOwnerStore.SavedBooking;
import io.wattproof.agent.driver.DriverData;
import io.wattproof.agent.driver.PileInfo;
import io.wattproof.agent.driver.SessionMessage;
import io.wattproof.agent.driver.TimeArgument;
import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.PublicKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bin/meter-agent charge}: the car owner's side of charging-pile sharing (docs/charging.md,
 * "Car owner's side"). Exit codes: 0 done, 1 refused or no answer in time (or a broker or key
 * failure), 2 a wrong argument.
 */
@Command(name = "charge", mixinStandardHelpOptions = true,
        description = {"Books a shared charging pile and starts, stops and follows the session, as its car owner.",
                "",
                "The car owner's key, HPKE key, booking counter and bookings live in --keys DIR (created by 'charge keys' or on first use).",
                "Exit codes: 0 done, 1 refused, no answer in time or a broker failure, 2 a wrong argument.",
                "Typical: charge book --keys DIR --pile ID --energy WH --amount MICRO; charge start --keys DIR --booking HASH;",
                "charge watch ...; charge stop ... (docs/charging.md, \"Car owner's side\")."},
        subcommands = {ChargeCommand.Keys.class, ChargeCommand.Info.class, ChargeCommand.Book.class, ChargeCommand.Start.class,
                ChargeCommand.Stop.class, ChargeCommand.Watch.class})
final class ChargeCommand implements Runnable {
    static final Duration INFO_TIMEOUT = Duration.ofSeconds(10);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the car owner's keys are. */
    static final class KeyOptions {
        @Option(names = "--keys", paramLabel = "DIR", required = true,
                description = "the car owner's folder: signing key, HPKE key, booking counter, bookings (created on first use, mode 0700)")
        Path keys;

        @Option(names = "--secret", paramLabel = "FILE",
                description = "the file holding the signing key's encryption secret (default: DIR/secret; mode 0600 or 0400)")
        Path secret;

        CarOwnerStore open(boolean create) throws CarOwnerStore.StoreException {
            return CarOwnerStore.open(keys, secret, create, KeyAlgorithm.ECDSA_P256_SHA256, new SecureRandom());
        }
    }

    /** The broker and the chain. */
    static final class BrokerOptions {
        @Option(names = "--broker", paramLabel = "URI", description = "MQTT 5 broker, tcp:// or ssl:// (default: ${DEFAULT-VALUE})")
        String broker = "tcp://127.0.0.1:1883";

        @Mixin
        BrokerTlsOptions tls;

        @Option(names = "--chain-id", paramLabel = "ID", description = "chain id requests are signed for (default: ${DEFAULT-VALUE})")
        String chainId = "wattproof-sim";

        @Option(names = "--resend", paramLabel = "SECONDS", description = "send again after this long without an answer (default: ${DEFAULT-VALUE})")
        int resendSeconds = 5;

        @Option(names = "--attempts", paramLabel = "N", description = "start/stop: how often a request is sent (default: ${DEFAULT-VALUE})")
        int attempts = 3;

        CarOwner connect(CommandLine cli, CarOwnerStore store, PrintWriter out) throws Exception {
            if (resendSeconds < 1) {
                throw new ParameterException(cli, "--resend: expected ≥ 1 second, actual " + resendSeconds);
            }
            if (attempts < 1) {
                throw new ParameterException(cli, "--attempts: expected ≥ 1, actual " + attempts);
            }
            CarOwner.Settings plain = CarOwner.Settings.of(broker, chainId, store.driverId())
                    .withResend(Duration.ofSeconds(resendSeconds), attempts);
            CarOwner.Settings settings = tls.socketFactory(cli, broker).map(plain::withTls).orElse(plain);
            out.println("connecting to " + broker + " as car owner " + store.driverId().hex());
            return new CarOwner(settings, store.key(), store.sealKey(), store.nonces(), Clock.systemUTC(), new SecureRandom());
        }
    }

    static DeviceId pile(CommandLine cli, String text) {
        try {
            return DeviceId.fromHex(text.strip().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cli, "--pile: expected the pile's device id (40 hex characters), actual '" + text + "'");
        }
    }

    static byte[] hash(CommandLine cli, String option, String text) {
        byte[] b;
        try {
            b = HexFormat.of().parseHex(text.strip());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cli, option + ": expected a tx hash (64 hex characters), actual '" + text + "'");
        }
        if (b.length != 32) {
            throw new ParameterException(cli, option + ": expected a tx hash (64 hex characters), actual " + text.strip().length()
                    + " characters");
        }
        return b;
    }

    static PileInfo info(CarOwner owner, DeviceId pile, PrintWriter out) throws Exception {
        out.println("reading " + io.wattproof.agent.driver.DriverTopics.pileInfo(pile));
        return switch (owner.readPileInfo(pile, INFO_TIMEOUT)) {
            case PileInfo.Parsed.Ok ok -> ok.info();
            case PileInfo.Parsed.Malformed m -> throw new Failed("the pile's charge/info is unusable: " + m.reason());
        };
    }

    /** A failure already explained in its message: exit code 1. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message, null, false, false);
        }
    }

    /** Runs {@code body}, turning a timeout and {@link Failed} into exit code 1 with the reason on stderr. */
    static int exit(CommandLine cli, Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (Failed | TimeoutException | CarOwner.ConnectionException | CarOwnerStore.StoreException e) {
            cli.getErr().println("error: " + e.getMessage());
            return 1;
        }
    }

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = "Creates the car owner's keys if missing and prints its id, ledger account and HPKE key.")
    static final class Keys implements Callable<Integer> {
        @Mixin
        KeyOptions keys;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            return exit(cli, () -> {
                CarOwnerStore store = keys.open(true);
                PrintWriter out = cli.getOut();
                out.println(store.created() ? "created the car owner's keys in " + store.dir() : "car owner's keys in " + store.dir());
                out.println("car owner id: " + store.driverId().hex());
                out.println("ledger account: " + io.wattproof.agent.charging.ChargingTransactions.driverAccount(store.driverId())
                        + " (an operator credits it before the first booking)");
                out.println("hpke seal key (x25519): " + HexFormat.of().formatHex(store.sealKey().publicKey().encoded()));
                out.println("last accepted booking nonce: " + store.nonces().lastAccepted());
                out.print(PublicKeys.toPem(store.key().publicKeyInfo()));
                out.flush();
                return 0;
            });
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Prints a pile's charge/info: its offers and seal key.")
    static final class Info implements Callable<Integer> {
        @Mixin
        KeyOptions keys;

        @Mixin
        BrokerOptions broker;

        @Option(names = "--pile", paramLabel = "ID", required = true, description = "the pile's device id (hex)")
        String pileText;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            DeviceId pile = pile(cli, pileText);
            return exit(cli, () -> {
                PrintWriter out = cli.getOut();
                try (CarOwner owner = broker.connect(cli, keys.open(true), out)) {
                    PileInfo info = info(owner, pile, out);
                    out.println("pile " + pile.hex() + " state '" + info.state() + "', seal key " + info.sealKey() + " suite " + info.suite());
                    for (PileInfo.Offer o : info.offers()) {
                        out.println("offer " + o.txHashHex() + " unit_price " + o.unitPrice() + " per kWh, window "
                                + Instant.ofEpochSecond(o.windowStart()) + " .. " + Instant.ofEpochSecond(o.windowEnd()) + ", max "
                                + o.maxPowerW() + " W");
                    }
                    if (info.offers().isEmpty()) {
                        out.println("no offers");
                    }
                }
                return 0;
            });
        }
    }

    @Command(name = "book", mixinStandardHelpOptions = true,
            description = {"Books a pile's offer on the ledger and waits for the receipt.",
                    "The deposit leaves the account driver:<id> when the booking is included; the unused part comes back."})
    static final class Book implements Callable<Integer> {
        @Mixin
        KeyOptions keys;

        @Mixin
        BrokerOptions broker;

        @Option(names = "--pile", paramLabel = "ID", required = true, description = "the pile's device id (hex)")
        String pileText;

        @Option(names = "--offer", paramLabel = "HASH", description = "the offer's tx hash (default: the pile's first current offer "
                + "in its charge/info)")
        String offerText;

        @Option(names = "--energy", paramLabel = "WH", required = true, description = "the most energy to charge, Wh")
        long energyWh;

        @Option(names = "--amount", paramLabel = "MICRO", required = true, description = "the most to pay, micro-units")
        long amount;

        @Option(names = "--deposit", paramLabel = "MICRO", description = "held while booked, ≥ --amount (default: --amount)")
        Long deposit;

        @Option(names = "--from", paramLabel = "TIME", description = "window start: ISO instant or duration from now, "
                + "e.g. 2026-11-27T18:00:00Z, PT2M, 2m (default: 1m, and not before the offer's window)")
        String from;

        @Option(names = "--until", paramLabel = "TIME", description = "window end, as --from (default: 1 h after the start, "
                + "at most the offer's window end)")
        String until;

        @Option(names = "--contact", paramLabel = "TEXT", description = "how the pile owner reaches you (name, phone, plate); "
                + "committed to in the booking, sealed to the pile at start (default: empty)")
        String contact = "";

        @Option(names = "--nonce", paramLabel = "N", description = "the booking nonce to use (default: the saved counter + 1); "
                + "for a counter out of step with the ledger")
        Long nonce;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long to wait for the receipt (default: ${DEFAULT-VALUE})")
        int timeoutSeconds = 60;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            DeviceId pile = pile(cli, pileText);
            byte[] offerHash = offerText == null ? null : hash(cli, "--offer", offerText);
            if (energyWh < 1 || energyWh > 1_000_000_000L) {
                throw new ParameterException(cli, "--energy: expected 1..10^9 Wh, actual " + energyWh);
            }
            if (amount < 1 || amount > 1_000_000_000_000_000L) {
                throw new ParameterException(cli, "--amount: expected 1..10^15 micro-units, actual " + amount);
            }
            long dep = deposit == null ? amount : deposit;
            if (dep < amount || dep > 1_000_000_000_000_000L) {
                throw new ParameterException(cli, "--deposit: expected --amount (" + amount + ") ..10^15 micro-units, actual " + dep);
            }
            if (timeoutSeconds < 1) {
                throw new ParameterException(cli, "--timeout: expected ≥ 1 second, actual " + timeoutSeconds);
            }
            if (nonce != null && nonce < 1) {
                throw new ParameterException(cli, "--nonce: expected ≥ 1, actual " + nonce);
            }
            if (contact.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > DriverData.MAX_CONTACT_BYTES) {
                throw new ParameterException(cli, "--contact: expected at most " + DriverData.MAX_CONTACT_BYTES + " utf-8 bytes");
            }
            Instant now = Instant.now();
            Instant start = from == null ? null : time(cli, "--from", from, now);
            Instant end = until == null ? null : time(cli, "--until", until, now);
            return exit(cli, () -> {
                PrintWriter out = cli.getOut();
                CarOwnerStore store = keys.open(true);
                if (store.created()) {
                    out.println("created the car owner's keys in " + store.dir() + "; account "
                            + io.wattproof.agent.charging.ChargingTransactions.driverAccount(store.driverId()));
                }
                if (nonce != null) {
                    // The counter holds the last accepted nonce; the next booking takes it + 1.
                    out.println("using booking nonce " + nonce + " (--nonce)");
                }
                try (CarOwner owner = broker.connect(cli, store, out)) {
                    PileInfo info = info(owner, pile, out);
                    long nowS = now.getEpochSecond();
                    PileInfo.Offer offer;
                    if (offerHash == null) {
                        offer = info.firstCurrentOffer(nowS).orElseThrow(() -> new Failed("the pile lists no current offer ("
                                + info.offers().size() + " offers, none ending after " + now + ")"));
                        out.println("offer " + offer.txHashHex() + " (the pile's first current offer)");
                    } else {
                        Optional<PileInfo.Offer> listed = info.offer(offerHash);
                        offer = listed.orElse(null);
                        if (offer == null) {
                            out.println("note: the pile does not list offer " + HexFormat.of().formatHex(offerHash) + "; the ledger decides");
                        }
                    }
                    Instant s = start != null ? start : defaultStart(now, offer);
                    Instant e = end != null ? end : defaultEnd(s, offer);
                    if (!s.isBefore(e)) {
                        throw new ParameterException(cli, "--from/--until: expected the start before the end, actual " + s + " and " + e);
                    }
                    byte[] offerTx = offer != null ? offer.txHash() : offerHash;
                    DriverData data = DriverData.commit(contact, new SecureRandom());
                    out.println("booking " + energyWh + " Wh, at most " + amount + " (deposit " + dep + "), " + s + " .. " + e);
                    BookingResult result = nonce == null
                            ? owner.book(pile, offerTx, energyWh, amount, s.getEpochSecond(), e.getEpochSecond(), dep, data.pseudonym(),
                                    Duration.ofSeconds(timeoutSeconds))
                            : owner.book(pile, offerTx, energyWh, amount, s.getEpochSecond(), e.getEpochSecond(), dep, data.pseudonym(),
                                    Duration.ofSeconds(timeoutSeconds), nonce);
                    return switch (result) {
                        case BookingResult.Booked b -> {
                            store.saveBooking(new SavedBooking(b.bookingTxHash(), pile, offerTx, s.getEpochSecond(), e.getEpochSecond(),
                                    energyWh, amount, dep, b.nonce(), b.height(), data));
                            out.println("booked: " + b.bookingHex() + " at height " + b.height() + " (nonce " + b.nonce() + ")");
                            out.println("start it: meter-agent charge start --keys " + store.dir() + " --booking " + b.bookingHex());
                            yield 0;
                        }
                        case BookingResult.Refused r -> {
                            cli.getErr().println("refused by the ledger: " + r.codeName() + (r.height() > 0 ? " in block " + r.height() : "")
                                    + ": " + r.log());
                            String hint = CarOwner.hint(r.code());
                            if (!hint.isEmpty()) {
                                cli.getErr().println("hint: " + hint + " (this one was nonce " + r.nonce() + ")");
                            }
                            yield 1;
                        }
                        case BookingResult.TimedOut t -> {
                            cli.getErr().println("no receipt for booking " + HexFormat.of().formatHex(t.bookingTxHash()) + " within "
                                    + t.waited().toSeconds() + " s" + (t.detail().isEmpty() ? "" : "; last unusable receipt: " + t.detail())
                                    + "; is a gateway serving the car owners' topics?");
                            yield 1;
                        }
                    };
                }
            });
        }

        static Instant defaultStart(Instant now, PileInfo.Offer offer) {
            Instant s = now.plusSeconds(60);
            if (offer != null && s.getEpochSecond() < offer.windowStart()) {
                s = Instant.ofEpochSecond(offer.windowStart());
            }
            return s;
        }

        static Instant defaultEnd(Instant start, PileInfo.Offer offer) {
            Instant e = start.plus(Duration.ofHours(1));
            if (offer != null && e.getEpochSecond() > offer.windowEnd()) {
                e = Instant.ofEpochSecond(offer.windowEnd());
            }
            return e;
        }
    }

    static Instant time(CommandLine cli, String option, String text, Instant now) {
        try {
            return TimeArgument.parse(text, now);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cli, option + ": " + e.getMessage());
        }
    }

    /** A booking named on the command line, with what this folder saved of it. */
    static final class BookingOptions {
        @Option(names = "--booking", paramLabel = "HASH", required = true, description = "the booking's tx hash, as 'book' printed it")
        String bookingText;

        @Option(names = "--pile", paramLabel = "ID", description = "the pile's device id (default: the saved booking's)")
        String pileText;

        record Resolved(byte[] booking, DeviceId pile, Optional<SavedBooking> saved) {}

        Resolved resolve(CommandLine cli, CarOwnerStore store) throws Exception {
            byte[] booking = hash(cli, "--booking", bookingText);
            Optional<SavedBooking> saved = store.booking(booking);
            DeviceId pile;
            if (pileText != null) {
                pile = pile(cli, pileText);
            } else if (saved.isPresent()) {
                pile = saved.get().pile();
            } else {
                throw new ParameterException(cli, "--pile: needed, since " + store.dir() + " holds no booking " + bookingText.strip());
            }
            return new Resolved(booking, pile, saved);
        }
    }

    static int requestOutcome(CommandLine cli, String what, RequestResult result) {
        PrintWriter out = cli.getOut();
        return switch (result) {
            case RequestResult.Answered a -> {
                switch (a.event()) {
                    case SessionMessage.Started s -> out.println("started at " + s.time() + " (attempt " + a.attempts() + ")");
                    case SessionMessage.Closed c -> out.println("closed at " + c.time() + ": " + c.endReason() + ", " + c.energyWh() + " Wh, amount "
                            + c.amount());
                    default -> out.println(what + ": " + a.event());
                }
                yield 0;
            }
            case RequestResult.Refused r -> {
                cli.getErr().println(what + " refused by the pile: " + r.reason());
                yield 1;
            }
            case RequestResult.TimedOut t -> {
                cli.getErr().println(what + ": no answer from the pile after " + t.attempts() + " attempts"
                        + (t.detail().isEmpty() ? "" : "; last unusable event: " + t.detail()));
                yield 1;
            }
        };
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Asks the pile to start a booked session and waits until it has started (or refused).",
                    "Your contact is sealed to the pile's HPKE key; the pile seals it again into the session record."})
    static final class Start implements Callable<Integer> {
        @Mixin
        KeyOptions keys;

        @Mixin
        BrokerOptions broker;

        @Mixin
        BookingOptions booking;

        @Option(names = "--contact", paramLabel = "TEXT", description = "the contact committed to at booking (default: the saved one; "
                + "must match it for the booking's driver_pseudonym to open)")
        String contact;

        @Option(names = "--no-data", description = "send no personal data to the pile")
        boolean noData;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            return exit(cli, () -> {
                PrintWriter out = cli.getOut();
                CarOwnerStore store = keys.open(false);
                BookingOptions.Resolved b = booking.resolve(cli, store);
                DriverData data = null;
                if (!noData) {
                    if (b.saved().isPresent()) {
                        DriverData savedData = b.saved().get().driverData();
                        data = contact == null || contact.equals(savedData.contact()) ? savedData : null;
                        if (data == null) {
                            throw new ParameterException(cli, "--contact: expected the contact committed to at booking, actual another one");
                        }
                    } else if (contact != null) {
                        out.println("note: no saved booking, so no salt: the contact is sent but does not open the booking's pseudonym");
                        data = DriverData.commit(contact, new SecureRandom());
                    }
                }
                try (CarOwner owner = broker.connect(cli, store, out)) {
                    PileInfo info = info(owner, b.pile(), out);
                    out.println("asking pile " + b.pile().hex() + " to start booking " + HexFormat.of().formatHex(b.booking()));
                    return requestOutcome(cli, "start", owner.start(b.pile(), b.booking(), info.sealKey(), info.suite(), data));
                }
            });
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Asks the pile to stop the session and waits until it has closed.")
    static final class Stop implements Callable<Integer> {
        @Mixin
        KeyOptions keys;

        @Mixin
        BrokerOptions broker;

        @Mixin
        BookingOptions booking;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            return exit(cli, () -> {
                PrintWriter out = cli.getOut();
                CarOwnerStore store = keys.open(false);
                BookingOptions.Resolved b = booking.resolve(cli, store);
                try (CarOwner owner = broker.connect(cli, store, out)) {
                    out.println("asking pile " + b.pile().hex() + " to stop booking " + HexFormat.of().formatHex(b.booking()));
                    return requestOutcome(cli, "stop", owner.stop(b.pile(), b.booking()));
                }
            });
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Prints the session's live values and events until it closes (or --for has passed, or Ctrl-C).")
    static final class Watch implements Callable<Integer> {
        @Mixin
        KeyOptions keys;

        @Mixin
        BrokerOptions broker;

        @Option(names = "--booking", paramLabel = "HASH", required = true, description = "the booking's tx hash")
        String bookingText;

        @Option(names = "--for", paramLabel = "TIME", description = "stop watching after this long, e.g. 10m, PT1H (default: until closed)")
        String forText;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = spec.commandLine();
            byte[] booking = hash(cli, "--booking", bookingText);
            Instant now = Instant.now();
            Duration limit = forText == null ? null : Duration.between(now, time(cli, "--for", forText, now));
            return exit(cli, () -> {
                PrintWriter out = cli.getOut();
                CarOwnerStore store = keys.open(false);
                CountDownLatch closed = new CountDownLatch(1);
                try (CarOwner owner = broker.connect(cli, store, out);
                     CarOwner.Watch w = owner.watch(booking, m -> {
                         out.println(line(m));
                         out.flush();
                         if (m instanceof SessionMessage.Closed) {
                             closed.countDown();
                         }
                     })) {
                    out.println("watching booking " + HexFormat.of().formatHex(booking) + (limit == null ? " until it closes" : " for " + limit));
                    out.flush();
                    if (limit == null) {
                        closed.await();
                    } else {
                        closed.await(limit.toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
                return 0;
            });
        }

        static String line(SessionMessage m) {
            return switch (m) {
                case SessionMessage.Live l -> l.time() + " live " + l.powerW() + " W, " + l.energyWh() + " Wh, amount " + l.amount();
                case SessionMessage.Started s -> s.time() + " started";
                case SessionMessage.Refused r -> r.time() + " refused: " + r.reason();
                case SessionMessage.Closed c -> c.time() + " closed: " + c.endReason() + ", " + c.energyWh() + " Wh, amount " + c.amount();
                case SessionMessage.OtherEvent o -> o.time() + " " + o.event() + (o.reason().isEmpty() ? "" : ": " + o.reason());
                case SessionMessage.Malformed bad -> "ignored a message: " + bad.reason();
            };
        }
    }
}
