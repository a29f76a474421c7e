#!/usr/bin/env bash
# Regenerates the README screenshots: runs Vigil in a real window under Xvfb and grabs it.
# Usage: scripts/screenshots.sh [seconds-to-let-it-run]
# VIGIL_SHOTS="waterfall batch" takes only the shots named there (the names given to shoot).
set -euo pipefail
VIGIL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=packages.sh
source "$VIGIL_ROOT/scripts/packages.sh"
cd "$VIGIL_ROOT"
vigil_install_packages
vigil_build release build

settle=${1:-6}
out=docs/screenshots
mkdir -p "$out"

wanted() {
    [ -z "${VIGIL_SHOTS:-}" ] || [[ " $VIGIL_SHOTS " == *" $1 "* ]]
}

shoot() {
    local name=$1
    shift
    wanted "$name" || return 0
    xvfb-run -a -s '-screen 0 1600x1000x24' bash -c '
        "$@" & app=$!
        sleep "$SETTLE"
        if [ -n "${MOUSE:-}" ]; then
            # shellcheck disable=SC2086 # "x y", two words
            xdotool mousemove $MOUSE
            sleep 1
        fi
        if [ -n "${CONTEXT_MENU:-}" ]; then
            # Right-click where the mouse is, then take the first item of the menu.
            xdotool click 3
            sleep 1
            xdotool key Down Return
            sleep 2
        fi
        import -window root "$SHOT"
        kill "$app"; wait "$app" 2>/dev/null || true
    ' _ "$@"
    # Without a window manager the window sits at the origin on a black root: trim the rest.
    convert "$SHOT" -trim +repage "$SHOT"
    echo "wrote $SHOT" >&2
}

# A private settings folder, so the screenshots always show the default dashboard.
export XDG_CONFIG_HOME=$(mktemp -d)
export SETTLE=$settle SHOT="$out/main-window.png"
shoot main ./build/app/vigil
export SETTLE=12 SHOT="$out/dashboard-sensors.png"
shoot sensors ./build/app/vigil --demo sensors
export SETTLE=4 SHOT="$out/downloads.png"
shoot downloads ./build/app/vigil --demo downloads
# Demo -> MQTT plant: a private mosquitto, Vigil's publisher and three MQTT sources.
export SETTLE=14 SHOT="$out/mqtt-plant.png"
shoot mqtt ./build/app/vigil --demo mqtt
# Demo -> Modbus plant: Vigil's own Modbus TCP device, every table, type and word order.
export SETTLE=14 SHOT="$out/modbus-plant.png"
shoot modbus ./build/app/vigil --demo modbus
# Demo -> Serial instrument: Vigil's own instrument on a pseudo-terminal, read as serial lines.
export SETTLE=14 SHOT="$out/serial-instrument.png"
shoot serial ./build/app/vigil --demo serial
# Twelve charts at 1600x1000: the grid's columns, the axes' ticks and the time labels must all
# stay readable. Sensors of every kind of range: flat, narrow, percent, large, and one shared
# chart (two series, two Y axes).
dashboard12=$(mktemp --suffix=.json)
cat >"$dashboard12" <<'JSON'
{"window_s": 60, "sensors": [
 {"type": "simulated", "name": "Reactor_Temp", "unit": "°C", "setpoint": 150, "sigma": 4,
  "thresholds": {"low_alarm": 138, "low_warn": 142, "high_warn": 158, "high_alarm": 162}},
 {"type": "simulated", "name": "Reactor_Press", "unit": "bar", "setpoint": 12, "sigma": 0.4},
 {"type": "simulated", "name": "Coolant_Temp", "unit": "°C", "setpoint": 45, "sigma": 1.5},
 {"type": "simulated", "name": "Feed_Flow", "unit": "m³/h", "setpoint": 320, "sigma": 12},
 {"type": "simulated", "name": "CPU_Load", "unit": "%", "setpoint": 55, "sigma": 30},
 {"type": "simulated", "name": "Valve_Pos", "unit": "%", "setpoint": 0.6, "sigma": 0},
 {"type": "simulated", "name": "Level", "unit": "m", "setpoint": 0.6, "sigma": 0.002},
 {"type": "simulated", "name": "Vibration", "unit": "mm/s", "setpoint": 0, "sigma": 0},
 {"type": "simulated", "name": "Power", "unit": "W", "setpoint": 2400000, "sigma": 90000},
 {"type": "simulated", "name": "pH", "unit": "", "setpoint": 7, "sigma": 0.05},
 {"type": "simulated", "name": "Stirrer", "unit": "rpm", "setpoint": 600, "sigma": 25},
 {"type": "simulated", "name": "Ambient", "unit": "°C", "setpoint": 21, "sigma": 0.3},
 {"type": "simulated", "name": "Humidity", "unit": "%", "setpoint": 40, "sigma": 3,
  "color": "#00897b"}],
 "charts": [["sim:Reactor_Temp"], ["sim:Reactor_Press", "sim:Coolant_Temp"], ["sim:Feed_Flow"],
  ["sim:CPU_Load"], ["sim:Valve_Pos"], ["sim:Level"], ["sim:Vibration"], ["sim:Power"],
  ["sim:pH"], ["sim:Stirrer"], ["sim:Ambient"], ["sim:Humidity"]]}
JSON
export SETTLE=10 SHOT="$out/dashboard-12-charts.png"
shoot twelve ./build/app/vigil --dashboard "$dashboard12" -geometry 1600x1000+0+0
# The cursor: the mouse over the second chart, whose crosshair, point markers and readout
# show, linked to the same time in every other chart.
export SETTLE=10 SHOT="$out/dashboard-cursor.png" MOUSE="470 280"
shoot cursor ./build/app/vigil --dashboard "$dashboard12" -geometry 1600x1000+0+0
# The thresholds dialog: right-click the first chart, "Alarms of Reactor_Temp…".
export SETTLE=8 SHOT="$out/thresholds-dialog.png" MOUSE="200 250" CONTEXT_MENU=1
shoot thresholds ./build/app/vigil --dashboard "$dashboard12" -geometry 1600x1000+0+0
unset MOUSE CONTEXT_MENU
rm -f "$dashboard12"
# Mid-batch: 221 look-ups at concurrency 8 take about 9 s; grab it after 4.
export SETTLE=4 SHOT="$out/batch-fetch.png"
shoot batch ./build/app/vigil --demo batch-fetch
# The waterfall of the rate-limited demo batch, 12 s in: items queue for their one host (10/s).
export SETTLE=12 SHOT="$out/batch-waterfall.png"
shoot waterfall ./build/app/vigil --demo waterfall
# A Prometheus source: a private Prometheus scrapes itself and this Vigil's /metrics every
# second, and the dashboard reads both back: the simulated sensors "via Prometheus" beside
# the originals, and Prometheus' own request rates (history backfilled, then live).
shoot_prometheus() {
    wanted prometheus || return 0
    # Below the ephemeral range, so that no outgoing connection takes a port before it is bound.
    local free=() p low=32768
    read -r low _ < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
    for p in $(shuf -i "10000-$((low - 1))" -n 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || free+=("$p")
        [ ${#free[@]} -eq 2 ] && break
    done
    local dir prom
    dir=$(mktemp -d)
    printf 'global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n  - job_name: vigil\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' \
        "${free[0]}" "${free[1]}" >"$dir/prometheus.yml"
    prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
        --web.listen-address="127.0.0.1:${free[0]}" --log.level=warn &
    prom=$!
    cat >"$dir/dashboard.json" <<JSON
{"window_s": 60, "sensors": [
 {"type": "simulated", "name": "Reactor_Temp", "unit": "°C", "setpoint": 150, "sigma": 4},
 {"type": "simulated", "name": "Feed_Flow", "unit": "m³/h", "setpoint": 320, "sigma": 12},
 {"type": "prometheus", "url": "http://127.0.0.1:${free[0]}", "interval_ms": 1000,
  "query": "vigil_sensor_value{job=\"vigil\",sensor=\"Reactor_Temp\"}",
  "name": "{sensor} via Prometheus", "unit": "°C"},
 {"type": "prometheus", "url": "http://127.0.0.1:${free[0]}", "interval_ms": 1000,
  "query": "sum by (handler) (rate(prometheus_http_requests_total{handler=~\"/api/v1/query.*|/metrics\"}[20s]))",
  "name": "{handler}", "unit": "req/s"}]}
JSON
    export SETTLE=25 SHOT="$out/prometheus.png"
    shoot prometheus ./build/app/vigil --dashboard "$dir/dashboard.json" \
        --metrics-port "${free[1]}" -geometry 1600x1000+0+0
    kill "$prom"
    wait "$prom" 2>/dev/null || true
    rm -rf "$dir"
}
shoot_prometheus
