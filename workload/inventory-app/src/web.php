<?php
declare(strict_types=1);

/** An answer other than the normal page: a status code and a message a person can act on. */
final class HttpError extends RuntimeException
{
    public function __construct(public readonly int $status, string $message, public readonly array $headers = [])
    {
        parent::__construct($message);
    }
}

function h(mixed $s): string
{
    return htmlspecialchars((string) $s, ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML5, 'UTF-8');
}

final class Web
{
    private const CSRF_COOKIE = 'inventory_csrf';
    /** The notice after a change, shown once: a reload of the list page does not repeat it. */
    private const NOTICE_COOKIE = 'inventory_notice';
    private const NAME_MAX = 100; // VARCHAR(100)
    private const QUANTITY_MAX = 1000000000;
    private const NOTICES = ['added' => 'Item added.', 'updated' => 'Item updated.', 'deleted' => 'Item deleted.'];
    private const UNCHANGED = ' Nothing was changed.';

    /** @param Closure(): array{id:string,az:string} $identity */
    public function __construct(private readonly InventoryRepo $repo, private readonly Closure $identity) {}

    /**
     * The double-submit CSRF token: a cookie and a form field that must match.
     * Stateless, so any instance behind the load balancer can check it.
     */
    private function csrf(): string
    {
        $t = $_COOKIE[self::CSRF_COOKIE] ?? '';
        if (!is_string($t) || !preg_match('/^[0-9a-f]{64}$/', $t)) {
            $t = $_COOKIE[self::CSRF_COOKIE] = bin2hex(random_bytes(32));
            $https = ($_SERVER['HTTPS'] ?? '') === 'on' || ($_SERVER['HTTP_X_FORWARDED_PROTO'] ?? '') === 'https';
            setcookie(self::CSRF_COOKIE, $t, ['path' => '/', 'httponly' => true, 'samesite' => 'Strict', 'secure' => $https]);
        }
        return $t;
    }

    private function checkCsrf(): void
    {
        // Over post_max_size PHP drops the whole form, token included: say so rather than blame the token.
        $max = ini_parse_quantity(ini_get('post_max_size') ?: '0');
        if (!$_POST && $max > 0 && (int) ($_SERVER['CONTENT_LENGTH'] ?? 0) > $max) {
            throw new HttpError(413, "The form is too large (over $max bytes)." . self::UNCHANGED);
        }
        $cookie = $_COOKIE[self::CSRF_COOKIE] ?? null;
        $field = $_POST['csrf_token'] ?? null;
        if (!is_string($cookie) || !is_string($field) || $cookie === '' || !hash_equals($cookie, $field)) {
            throw new HttpError(403, 'The form was rejected because its security (CSRF) token is missing or wrong. Reload the page and submit it again.' . self::UNCHANGED);
        }
    }

    public function page(int $status, string $title, string $body): void
    {
        http_response_code($status);
        header('Content-Type: text/html; charset=utf-8');
        $id = ($this->identity)();
        echo '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>', h($title), ' - Inventory</title><style>',
            'body{font-family:sans-serif;margin:2em auto;max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}.error{color:#a00}footer{margin-top:2em;color:#555}',
            '</style></head><body><h1><a href="/">Inventory</a></h1>', $body,
            '<footer>Served by instance <span id="instance-id">', h($id['id']), '</span> in Availability Zone <span id="availability-zone">', h($id['az']), '</span></footer></body></html>';
    }

    public function error(HttpError $e): void
    {
        foreach ($e->headers as $k => $v) {
            header("$k: $v");
        }
        $this->page($e->status, 'Error', '<p class="error" id="error">' . h($e->getMessage()) . '</p><p><a href="/">Back to the inventory</a></p>');
    }

    /** The add/edit form; $requestToken makes a resubmitted add harmless (see InventoryRepo::create). */
    private function form(string $action, array $v, array $errors = [], ?string $requestToken = null): string
    {
        $out = $errors ? '<ul class="error" id="error"><li>' . implode('</li><li>', array_map('h', $errors)) . '</li></ul>' : '';
        $out .= '<form method="post" action="' . $action . '"><input type="hidden" name="csrf_token" value="' . $this->csrf() . '">';
        if ($requestToken !== null) {
            $out .= '<input type="hidden" name="request_token" value="' . h($requestToken) . '">';
        }
        foreach (['store' => 'Store', 'item' => 'Item', 'quantity' => 'Quantity'] as $name => $label) {
            // Not maxlength: it counts UTF-16 units and silently cuts names with emoji; a pattern counts characters, as the server does.
            $limits = $name === 'quantity' ? 'type="number" min="0" step="1" max="' . self::QUANTITY_MAX . '"' : 'pattern=".{1,' . self::NAME_MAX . '}" title="At most ' . self::NAME_MAX . ' characters"';
            $out .= "<label>$label <input id=\"$name\" name=\"$name\" $limits required value=\"" . h(is_scalar($v[$name] ?? null) ? $v[$name] : '') . '"></label> ';
        }
        return $out . '<button id="submit">' . ($requestToken ? 'Add item' : 'Save') . '</button></form>';
    }

    /** @return array{0:array{store:string,item:string,quantity:int},1:string[]} the values and the problems found */
    private function input(): array
    {
        $errors = [];
        $v = [];
        foreach (['store' => 'Store', 'item' => 'Item name'] as $name => $label) {
            $s = $v[$name] = trim(is_string($_POST[$name] ?? null) ? $_POST[$name] : '');
            if ($s === '') {
                $errors[] = "$label must not be empty.";
            } elseif (!preg_match('//u', $s) || preg_match('/[\x00-\x1F\x7F]/', $s)) {
                $errors[] = "$label contains characters that are not allowed.";
            } elseif (preg_match_all('/./us', $s) > self::NAME_MAX) {
                $errors[] = "$label must be at most " . self::NAME_MAX . ' characters long.';
            }
        }
        $q = is_string($_POST['quantity'] ?? null) ? trim($_POST['quantity']) : '';
        if (!preg_match('/^\d{1,10}$/', $q) || (int) $q > self::QUANTITY_MAX) {
            $errors[] = 'Quantity must be a whole number from 0 to ' . self::QUANTITY_MAX . '.';
        }
        $v['quantity'] = (int) $q;
        return [$v, $errors];
    }

    public function index(): void
    {
        $items = $this->repo->all();
        $rows = '';
        foreach ($items as $r) {
            $id = (int) $r['id'];
            $rows .= "<tr data-id=\"$id\"><td>" . h($r['store']) . '</td><td class="item-name">' . h($r['item']) . '</td><td class="quantity">' . (int) $r['quantity']
                . "</td><td><a href=\"/items/$id/edit\">Edit</a> <form method=\"post\" action=\"/items/$id/delete\" style=\"display:inline\">"
                . '<input type="hidden" name="csrf_token" value="' . $this->csrf() . '"><button>Delete</button></form></td></tr>';
        }
        $done = $_GET['done'] ?? '';
        $notice = is_string($done) && ($_COOKIE[self::NOTICE_COOKIE] ?? '') === $done ? (self::NOTICES[$done] ?? '') : ''; // ?done[]=x is an array
        if (isset($_COOKIE[self::NOTICE_COOKIE])) {
            setcookie(self::NOTICE_COOKIE, '', ['expires' => 1, 'path' => '/', 'httponly' => true, 'samesite' => 'Strict']);
        }
        $this->page(200, 'Items', ($notice ? "<p id=\"notice\">$notice</p>" : '') . '<h2>Add an item</h2>' . $this->form('/items', [], [], bin2hex(random_bytes(16)))
            . '<h2>Items (' . count($items) . ')</h2>'
            . ($items ? '<table id="items"><tr><th>Store</th><th>Item</th><th>Quantity</th><th></th></tr>' . $rows . '</table>' : '<p id="no-items">No items yet.</p>'));
    }

    public function create(): void
    {
        $this->checkCsrf();
        $token = $_POST['request_token'] ?? '';
        if (!is_string($token) || !preg_match('/^[0-9a-f]{32}$/', $token)) {
            throw new HttpError(400, 'The form has no valid request token. Reload the page and submit it again.' . self::UNCHANGED);
        }
        [$v, $errors] = $this->input();
        if ($errors) {
            $this->page(400, 'Add an item', '<h2>Add an item</h2>' . $this->form('/items', $_POST, $errors, $token));
            return;
        }
        $this->repo->create($v['store'], $v['item'], $v['quantity'], $token);
        $this->redirect('added');
    }

    private function find(int $id): array
    {
        return $this->repo->find($id) ?? throw self::notFound($id);
    }

    private static function notFound(int $id): HttpError
    {
        return new HttpError(404, "Item $id does not exist (it may have been deleted)." . self::UNCHANGED);
    }

    public function edit(int $id): void
    {
        $this->page(200, 'Edit item', '<h2>Edit item</h2>' . $this->form("/items/$id", $this->find($id)));
    }

    public function update(int $id): void
    {
        $this->checkCsrf();
        [$v, $errors] = $this->input();
        if ($errors) {
            $this->find($id); // an unknown item is a 404 whatever the input
            $this->page(400, 'Edit item', '<h2>Edit item</h2>' . $this->form("/items/$id", $_POST, $errors));
        } elseif ($this->repo->update($id, $v['store'], $v['item'], $v['quantity'])) {
            $this->redirect('updated');
        } else {
            throw self::notFound($id);
        }
    }

    public function delete(int $id): void
    {
        $this->checkCsrf();
        if (!$this->repo->delete($id)) {
            throw self::notFound($id);
        }
        $this->redirect('deleted');
    }

    /** 303 after a POST: the browser then GETs the list, so reloading it resubmits nothing. */
    private function redirect(string $done): void
    {
        http_response_code(303);
        setcookie(self::NOTICE_COOKIE, $done, ['path' => '/', 'httponly' => true, 'samesite' => 'Strict']);
        header("Location: /?done=$done");
    }
}
