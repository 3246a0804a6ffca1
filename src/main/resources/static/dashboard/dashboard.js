// The balances dashboard: sort and filter the server-rendered table, and keep each country's row
// live from the balance stream (Server-Sent Events). Plain JS, no inline handlers (CSP script-src 'self').
// Each sortable header holds a button, so the keyboard sorts too (Tab to it, Enter or Space).
(function () {
    'use strict';

    var table = document.getElementById('balances');
    var body = table.tBodies[0];
    var live = document.getElementById('live');
    var nameFilter = document.getElementById('filter-name');
    var tierFilter = document.getElementById('filter-tier');
    var statusFilter = document.getElementById('filter-status');
    var shown = document.getElementById('shown');
    var sortKey = 'country';
    var sortDescending = false;

    var numberFormat = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});

    function formatted(value) {
        return value === null || value === undefined ? '—' : numberFormat.format(value);
    }

    function cell(row, field) {
        return row.querySelector('[data-field="' + field + '"]');
    }

    function numeric(text) {
        var value = parseFloat(String(text).replace(/[^0-9.\-]/g, ''));
        return isNaN(value) ? -1 : value;
    }

    function sortValue(row, key, type) {
        if (key === 'utilization') {
            return parseFloat(row.dataset.utilization) || 0;
        }
        var text = cell(row, key).textContent.trim();
        return type === 'number' ? numeric(text) : text;
    }

    function sort() {
        var header = table.querySelector('th[data-sort="' + sortKey + '"]');
        var type = header.dataset.type;
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
            var x = sortValue(a, sortKey, type), y = sortValue(b, sortKey, type);
            var order = x < y ? -1 : x > y ? 1 : a.dataset.country < b.dataset.country ? -1 : 1;
            return sortDescending ? -order : order;
        });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (row) { fragment.appendChild(row); });
        body.appendChild(fragment);
        table.querySelectorAll('th[data-sort]').forEach(function (th) {
            th.setAttribute('aria-sort', th === header ? (sortDescending ? 'descending' : 'ascending') : 'none');
        });
    }

    function matches(row) {
        var name = nameFilter.value.trim().toUpperCase();
        return (!name || row.dataset.country.indexOf(name) !== -1)
            && (!tierFilter.value || row.dataset.tier === tierFilter.value)
            && (!statusFilter.value || row.dataset.status === statusFilter.value);
    }

    function filter() {
        Array.prototype.forEach.call(body.rows, function (row) {
            row.hidden = !matches(row);
        });
        countShown();
    }

    function countShown() {
        var count = 0;
        Array.prototype.forEach.call(body.rows, function (row) {
            if (!row.hidden) {
                count++;
            }
        });
        shown.textContent = count + ' countries';
    }

    function newRow(country) {
        var template = body.rows[0];
        var row = template.cloneNode(true);
        row.id = 'row-' + country;
        row.dataset.country = country;
        body.appendChild(row);
        return row;
    }

    /** Asks the alerts panel (htmx, hx-trigger="status-changed") to fetch the latest alerts. */
    function statusChanged() {
        var alerts = document.getElementById('alerts');
        if (alerts) {
            alerts.dispatchEvent(new CustomEvent('status-changed'));
        }
    }

    /** Writes one country's balance (as the stream sends it) into its row. */
    function update(balance, flash) {
        var row = document.getElementById('row-' + balance.country) || newRow(balance.country);
        var status = String(balance.status).toLowerCase();
        if (flash && row.dataset.status !== status) {
            statusChanged();
        }
        var utilization = balance.utilization === null ? 0 : Math.min(1, Math.max(0, Number(balance.utilization)));
        row.dataset.tier = balance.tier || '';
        row.dataset.status = status;
        row.dataset.utilization = String(utilization);
        var link = cell(row, 'country').querySelector('a');
        link.textContent = balance.country;
        link.href = '/countries/' + encodeURIComponent(balance.country);
        cell(row, 'tier').textContent = balance.tier || '';
        cell(row, 'policy').textContent = balance.policyId || '';
        var badge = cell(row, 'status').firstElementChild;
        badge.className = 'status ' + status;
        badge.textContent = status;
        cell(row, 'cap').textContent = formatted(balance.capTpp);
        cell(row, 'consumed').textContent = formatted(balance.consumedTpp);
        cell(row, 'remaining').textContent = formatted(balance.remainingTpp);
        cell(row, 'capH100e').textContent = formatted(balance.capH100e);
        cell(row, 'consumedH100e').textContent = formatted(balance.consumedH100e);
        cell(row, 'remainingH100e').textContent = formatted(balance.remainingH100e);
        var fill = row.querySelector('.fill');
        fill.className = 'fill ' + status;
        fill.style.width = (utilization * 100) + '%';
        row.querySelector('.percent').textContent =
            balance.utilization === null ? '' : (Number(balance.utilization) * 100).toFixed(1) + ' %';
        row.hidden = !matches(row);
        return row;
    }

    // A revision changes every country at once: 249 events in a burst. They are applied together,
    // a batch at most every 50 ms, with one layout for all their highlights instead of one each.
    var pending = {};
    var flushing = null;

    function enqueue(balance) {
        pending[balance.country] = balance; // a later balance of the same country replaces an earlier one
        if (flushing === null) {
            flushing = setTimeout(flush, 50);
        }
    }

    function flush() {
        var batch = pending;
        pending = {};
        flushing = null;
        var rows = Object.keys(batch).map(function (country) { return update(batch[country], true); });
        rows.forEach(function (row) { row.classList.remove('changed'); });
        void body.offsetWidth; // restart the highlight animation
        rows.forEach(function (row) { row.classList.add('changed'); });
        if (sortKey !== 'country') {
            sort(); // a changed balance may move its row
        }
        countShown(); // a changed status may hide or show a row under the filters
    }

    table.querySelectorAll('th[data-sort]').forEach(function (th) {
        th.addEventListener('click', function () {
            sortDescending = sortKey === th.dataset.sort ? !sortDescending : false;
            sortKey = th.dataset.sort;
            sort();
        });
    });
    nameFilter.addEventListener('input', filter);
    tierFilter.addEventListener('change', filter);
    statusFilter.addEventListener('change', filter);
    document.getElementById('filters').addEventListener('submit', function (event) { event.preventDefault(); });

    function connect() {
        var source = new EventSource(live.dataset.stream);
        source.addEventListener('snapshot', function (event) {
            pending = {}; // older than the snapshot
            JSON.parse(event.data).balances.forEach(function (balance) { update(balance, false); });
            sort();
            filter();
            live.dataset.state = 'live';
            live.textContent = 'live';
        });
        source.addEventListener('balance', function (event) {
            enqueue(JSON.parse(event.data));
        });
        source.addEventListener('error', function () {
            live.dataset.state = 'reconnecting';
            live.textContent = 'reconnecting…';
            // The browser retries a dropped stream by itself, but gives up on a refusal (429: too many
            // streams open, e.g. tabs just closed that the server has not noticed yet): try again later.
            if (source.readyState === EventSource.CLOSED) {
                setTimeout(connect, 5000);
            }
        });
    }

    sort();
    connect();
})();
